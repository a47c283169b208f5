namespace ControlPlane.Domain.Datasets.Reading;

/// <summary>The rows of one <see cref="CsvBlock"/>, parsed into pieces of at most a chunk's capacity.</summary>
internal sealed class CsvParsedBlock(List<CsvChunk> chunks, CsvRowLines rowLines)
{
    public List<CsvChunk> Chunks { get; } = chunks;

    /// <summary>The line of each row, for the error of the row past <see cref="ReadLimits.MaxRows"/>.</summary>
    public CsvRowLines RowLines { get; } = rowLines;

    public int Rows => RowLines.Count;
}

/// <summary>
/// Parsed rows, with the cells that were present but not a finite number listed one by one (row, request), so that
/// any run of rows can be handed out with its own invalid counts. Reused from block to block.
/// </summary>
internal sealed class CsvChunk(TabularBatch rows)
{
    public TabularBatch Rows { get; } = rows;
    public List<(int Row, int Request)> Invalid { get; } = [];

    /// <summary>Rows handed out so far.</summary>
    public int Taken { get; set; }

    public int InvalidTaken { get; set; }

    public CsvChunk Reset()
    {
        Rows.Reset(0);
        Invalid.Clear();
        (Taken, InvalidTaken) = (0, 0);
        return this;
    }
}
