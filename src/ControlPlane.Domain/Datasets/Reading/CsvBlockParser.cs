using System.Collections.Concurrent;
using System.Globalization;
using System.Text;
using System.Text.Unicode;
using nietras.SeparatedValues;

namespace ControlPlane.Domain.Datasets.Reading;

/// <summary>
/// Parses blocks of one CSV file, any number at once: each with a Sep reader of its own over the block's bytes,
/// the same row checks and cell rules as reading the file in order (<see cref="CsvRowCheck"/>, <see cref="CsvCells"/>).
/// </summary>
internal sealed class CsvBlockParser(
    string path, IReadOnlyList<string> names, bool hasHeader, char delimiter, ColumnRequest[] requests, int chunkRows)
{
    private static readonly UTF8Encoding Utf8NoBom = new(encoderShouldEmitUTF8Identifier: false);
    private readonly ConcurrentBag<TabularBatch> _spareChunks = [];

    public CsvParsedBlock Parse(CsvBlock block, CancellationToken ct)
    {
        try
        {
            // Checked up front: the decoder below replaces bad bytes rather than failing.
            if (!Utf8.IsValid(block.Bytes))
                throw Utf8Errors.LocateAsync(path, ct).GetAwaiter().GetResult();
            return ParseValid(block, ct);
        }
        finally
        {
            block.Release();
        }
    }

    /// <summary>Gives the chunks of a block handed out back for the next blocks to fill.</summary>
    public void Recycle(CsvParsedBlock block)
    {
        foreach (var chunk in block.Chunks)
            _spareChunks.Add(chunk.Rows);
    }

    private CsvParsedBlock ParseValid(CsvBlock block, CancellationToken ct)
    {
        using var text = new StreamReader(new MemoryStream(block.Buffer, 0, block.Length, writable: false), Utf8NoBom, false, 1 << 16);
        using var sep = Sep.Reader(o => o with
        {
            HasHeader = false,
            Sep = new Sep(delimiter),
            Unescape = true,
            DisableColCountCheck = true,
            CultureInfo = CultureInfo.InvariantCulture,
            CreateToString = SepToString.PoolPerCol(),
        }).From(text);
        var check = new CsvRowCheck(block.FirstLine, block.FirstLine - 1) { Names = names, HasHeader = hasHeader };
        var chunks = new List<CsvChunk>();
        var lines = new List<long>();
        CsvChunk? chunk = null;
        foreach (var row in sep)
        {
            if (!check.Accept(row))
                continue;
            if (chunk is null || chunk.Rows.Count == chunk.Rows.Capacity)
            {
                ct.ThrowIfCancellationRequested();
                chunks.Add(chunk = NewChunk());
            }
            lines.Add(check.Line);
            var index = chunk.Rows.Count++;
            CsvCells.Fill(chunk.Rows, requests, row, index, commas: delimiter != ',' || check.Quoted);
            NoteInvalid(chunk, index);
        }
        return new CsvParsedBlock(chunks, lines, block.EndOffset);
    }

    private CsvChunk NewChunk()
    {
        if (!_spareChunks.TryTake(out var rows))
            rows = new TabularBatch(requests, chunkRows);
        rows.Reset(0);
        return new CsvChunk(rows);
    }

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
