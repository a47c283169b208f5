using System.Collections.Concurrent;

namespace ControlPlane.Domain.Datasets.Reading;

/// <summary>
/// Parses blocks of one CSV file into column batches, any number at once, with the cell rules of reading the file in
/// order (<see cref="CsvCells"/>).
/// </summary>
internal sealed class CsvBlockParser(CsvBlockFile file, ColumnRequest[] requests, int chunkRows)
{
    private readonly ConcurrentBag<CsvChunk> _spareChunks = [];
    private readonly bool _strings = requests.Any(r => r.As == ColumnReadAs.Text);

    public CsvParsedBlock Parse(CsvBlock block, CancellationToken ct)
    {
        var chunks = new List<CsvChunk>();
        var lines = new CsvRowLines();
        CsvChunk? chunk = null;
        var commas = file.Delimiter != ',';
        var failure = file.ForEachRow(block, (row, check) =>
        {
            if (chunk is null || chunk.Rows.Count == chunk.Rows.Capacity)
                chunks.Add(chunk = NewChunk());
            lines.Add(check.Line);
            var index = chunk.Rows.Count++;
            CsvCells.Fill(chunk.Rows, requests, row, index, commas || check.Quoted);
            NoteInvalid(chunk, index);
        }, _strings, ct);
        return new CsvParsedBlock(chunks, lines, failure);
    }

    /// <summary>Gives the chunks and row lines of a block handed out back for the next blocks.</summary>
    public void Recycle(CsvParsedBlock block)
    {
        foreach (var chunk in block.Chunks)
            _spareChunks.Add(chunk);
        block.RowLines.Dispose();
    }

    private CsvChunk NewChunk() =>
        _spareChunks.TryTake(out var chunk) ? chunk.Reset() : new CsvChunk(new TabularBatch(requests, chunkRows));

    /// <summary>Moves the row's invalid counts (<see cref="CsvCells.Fill"/> adds to the batch's) into the per-cell list.</summary>
    private static void NoteInvalid(CsvChunk chunk, int index)
    {
        var counts = chunk.Rows.InvalidCounts;
        for (var i = 0; i < counts.Length; i++)
        {
            if (counts[i] == 0)
                continue;
            chunk.Invalid.Add((index, i));
            counts[i] = 0;
        }
    }
}
