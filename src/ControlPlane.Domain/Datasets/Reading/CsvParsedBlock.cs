namespace ControlPlane.Domain.Datasets.Reading;

/// <summary>The rows of one <see cref="CsvBlock"/>, parsed into pieces of at most a chunk's capacity.</summary>
internal sealed class CsvParsedBlock(List<CsvChunk> chunks, CsvRowLines rowLines)
{
    public List<CsvChunk> Chunks { get; } = chunks;

    /// <summary>The line of each row, for the error of the row past <see cref="ReadLimits.MaxRows"/>.</summary>
    public CsvRowLines RowLines { get; } = rowLines;

    public int Rows => RowLines.Count;
}
