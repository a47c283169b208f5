namespace ControlPlane.Domain.Datasets.Reading;

/// <summary>
/// The rows of one <see cref="CsvBlock"/>, parsed into pieces of at most a chunk's capacity, up to the failure that
/// ended the block, if one did.
/// </summary>
internal sealed class CsvParsedBlock(List<CsvChunk> chunks, CsvRowLines rowLines, Exception? failure)
{
    public List<CsvChunk> Chunks { get; } = chunks;

    /// <summary>The line of each row, for the error of the row past <see cref="ReadLimits.MaxRows"/>.</summary>
    public CsvRowLines RowLines { get; } = rowLines;

    public int Rows => RowLines.Count;

    /// <summary>What stopped the block after <see cref="Rows"/> rows (a bad row, bytes that are not UTF-8); thrown once they are handed out.</summary>
    public Exception? Failure { get; } = failure;
}
