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

/// <summary>
/// Content-addressed storage for model artifacts and dataset files (<c>ControlPlane:Artifacts:Provider</c> picks
/// <see cref="FileSystemArtifactStore"/> or <see cref="AzureBlobArtifactStore"/>). A store that cannot be reached
/// throws <see cref="ArtifactStoreUnavailableException"/>.
/// </summary>
public interface IArtifactStore
{
    /// <summary>Streams the upload to a temporary file while hashing it; never buffers it whole. Throws when it exceeds <paramref name="maxBytes"/>.</summary>
    Task<StagedArtifact> StageAsync(Stream content, long maxBytes, CancellationToken ct);

    /// <summary>
    /// Stores a staged file under its content address so a row may point at it: whole or not at all, and
    /// idempotent (the same content published twice, even by two processes at once, is stored once). Publishing
    /// content that is already stored renews its last-published time, so a sweep does not take it while the new
    /// row that points at it commits. The result says whether this call stored it.
    /// </summary>
    Task<PublishedArtifact> PublishAsync(StagedArtifact staged, CancellationToken ct);

    /// <summary>
    /// Opens a stored artifact; reading it to the end throws <see cref="InvalidDataException"/> when its bytes no longer
    /// match the hash. A missing artifact is a <see cref="Common.NotFoundException"/>.
    /// </summary>
    Task<Stream> OpenReadAsync(string sha256, CancellationToken ct);

    /// <summary>
    /// A local file holding the content, for readers that need random access (Parquet) or several passes.
    /// With <paramref name="verify"/> the bytes are hashed first and a mismatch throws.
    /// </summary>
    Task<string> GetLocalPathAsync(string sha256, bool verify, CancellationToken ct);

    /// <summary>Every stored artifact, in no particular order (streamed: a store may hold millions).</summary>
    IAsyncEnumerable<StoredArtifact> ListAsync(CancellationToken ct);

    /// <summary>
    /// Removes an artifact as <paramref name="seen"/> described it, unless it was published again since (its
    /// <see cref="StoredArtifact.Version"/> moved on) or is already gone; returns whether it was removed. Callers
    /// check first that no row references it.
    /// </summary>
    Task<bool> RemoveIfUnchangedAsync(StoredArtifact seen, CancellationToken ct);

    /// <summary>
    /// Whether the store can be used now, as cheaply as it can be asked (the readiness check calls it): throws
    /// <see cref="ArtifactStoreUnavailableException"/> with the reason otherwise.
    /// </summary>
    Task CheckAsync(CancellationToken ct);
}
