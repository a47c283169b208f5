namespace ControlPlane.Domain.Artifacts;

/// <summary>A file received and hashed but not yet published; dispose to delete it when it is rejected.</summary>
public sealed class StagedArtifact(string path, string sha256, long size) : IAsyncDisposable
{
    public string Path { get; } = path;
    public string Sha256 { get; } = sha256;
    public long Size { get; } = size;
    internal bool Published { get; set; }

    public ValueTask DisposeAsync()
    {
        if (!Published && File.Exists(Path))
            File.Delete(Path);
        return ValueTask.CompletedTask;
    }
}

/// <summary>Content-addressed storage for model artifacts and dataset files.</summary>
public interface IArtifactStore
{
    /// <summary>Streams the upload to a temporary file while hashing it; never buffers it whole. Throws when it exceeds <paramref name="maxBytes"/>.</summary>
    Task<StagedArtifact> StageAsync(Stream content, long maxBytes, CancellationToken ct);

    /// <summary>Moves a staged file to its content address (flushed, then renamed) so a row may point at it.</summary>
    Task PublishAsync(StagedArtifact staged, CancellationToken ct);

    /// <summary>Opens a stored artifact; reading it to the end throws when its bytes no longer match the hash.</summary>
    Stream OpenRead(string sha256);

    /// <summary>
    /// A local file holding the content, for readers that need random access (Parquet) or several passes.
    /// With <paramref name="verify"/> the bytes are hashed first and a mismatch throws.
    /// </summary>
    Task<string> GetLocalPathAsync(string sha256, bool verify, CancellationToken ct);
}
