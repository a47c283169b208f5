namespace ControlPlane.Domain.Datasets.Reading;

/// <summary>
/// How a big CSV file is read on several cores: cut into blocks of whole rows, parsed in parallel, handed out in
/// file order. Smaller files, and runs with one core, are read in order by one parser.
/// </summary>
/// <param name="BlockBytes">Bytes read per block before it is cut back to the last row boundary.</param>
/// <param name="MinFileBytes">Files smaller than this are read in order.</param>
/// <param name="MaxQuotedBytes">
/// How far a block grows while inside a quoted field; past it the quote is taken as never closed (Sep pairs quotes
/// to the end of its input, so the row holding the open quote is the one reported).
/// </param>
/// <param name="Workers">Blocks parsed at once; 0 for one per core.</param>
/// <param name="ChunkRows">Rows per parsed piece of a block.</param>
internal sealed record CsvBlockOptions(
    int BlockBytes = 4 << 20, long MinFileBytes = 16 << 20, int MaxQuotedBytes = 64 << 20, int Workers = 0, int ChunkRows = 4096)
{
    public static CsvBlockOptions Default { get; } = new();

    /// <summary>Always in order: for reading a few rows, where parsing blocks ahead would be wasted.</summary>
    public static CsvBlockOptions InOrder { get; } = new(MinFileBytes: long.MaxValue);

    public int WorkerCount => Workers > 0 ? Workers : Environment.ProcessorCount;

    public bool Applies(long fileBytes) => WorkerCount > 1 && fileBytes >= MinFileBytes;
}
