namespace ControlPlane.Domain.Datasets.Reading;

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
