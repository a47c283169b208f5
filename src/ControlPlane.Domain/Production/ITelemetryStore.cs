namespace ControlPlane.Domain.Production;

/// <summary>
/// Telemetry files by path (<see cref="TelemetryPaths"/>), beside the artifacts: the artifact store's directory when it
/// is a file system, its container when it is Azure Blob Storage, so every web and worker process that shares the
/// artifact store shares the telemetry too. Unlike artifacts, telemetry is addressed by path, not content, so outside
/// readers (Spark, Trino, DuckDB) find it by partition.
/// </summary>
public interface ITelemetryStore
{
    /// <summary>
    /// Stores the local file at <paramref name="path"/>, whole or not at all; durable when the task completes (a
    /// file is flushed to disk and renamed, a blob is committed). Overwrites nothing: paths hold a fresh id.
    /// </summary>
    Task PutAsync(string path, string localFile, CancellationToken ct);

    /// <summary>The same for content in hand (a file written in memory, read from its start): no local copy first.</summary>
    Task PutAsync(string path, Stream content, CancellationToken ct);

    /// <summary>A local file with the content (the file itself, or a cached copy of the blob) for DuckDB to read.</summary>
    Task<string> GetLocalPathAsync(string path, CancellationToken ct);

    /// <summary>Removes the file (retention, compaction); a missing file is not an error.</summary>
    Task DeleteAsync(string path, CancellationToken ct);

    /// <summary>Every finished file under the folder <paramref name="prefix"/> (a prefix is a folder: model "a" never lists model "ab").</summary>
    IAsyncEnumerable<string> ListAsync(string prefix, CancellationToken ct);

    /// <summary>
    /// Every file under the folder <paramref name="prefix"/> with when it was last written, including what an
    /// interrupted put left behind: what the orphan sweep looks at.
    /// </summary>
    IAsyncEnumerable<TelemetryFile> ListFilesAsync(string prefix, CancellationToken ct);

    /// <summary>Where outside readers find the files: a directory, or the container's URL without credentials.</summary>
    string Location { get; }
}
