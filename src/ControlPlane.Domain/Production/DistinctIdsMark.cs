using Parquet;

namespace ControlPlane.Domain.Production;

/// <summary>
/// A prediction file's own word, in its Parquet key-value metadata, that it holds each (prediction id, variant) once:
/// true of every file one ingest batch writes (the batch refuses a repeated id), and of a merged file when compaction
/// found no repeat across its sources. A window whose only file says so needs no deduplication; a file without the
/// mark (older files, a merge of a retried batch) is deduplicated as before.
/// </summary>
public static class DistinctIdsMark
{
    public const string Key = "controlplane.distinct_ids";
    public const string Yes = "true";

    public static Dictionary<string, string> Metadata() => new(StringComparer.Ordinal) { [Key] = Yes };

    public static bool IsMarked(IReadOnlyDictionary<string, string> metadata) => metadata.TryGetValue(Key, out var value) && value == Yes;

    /// <summary>Reads the file's footer only.</summary>
    public static async Task<bool> IsMarkedAsync(string path, CancellationToken ct)
    {
        await using var reader = await ParquetReader.CreateAsync(path, cancellationToken: ct);
        return IsMarked(reader.CustomMetadata);
    }
}
