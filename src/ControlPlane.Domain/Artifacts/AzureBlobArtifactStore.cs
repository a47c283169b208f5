using System.Runtime.CompilerServices;
using Azure;
using Azure.Storage.Blobs;
using Azure.Storage.Blobs.Models;
using ControlPlane.Domain.Common;
using ControlPlane.Domain.Persistence;
using Microsoft.Extensions.Options;

namespace ControlPlane.Domain.Artifacts;

/// <summary>
/// Artifacts as blobs named <c>sha256/ab/abcdef…</c> in one container, each with its hash as <c>sha256</c> metadata.
/// Uploads are staged and hashed in a local directory first; published ones, and blobs that readers need as files,
/// are kept there as a cache (written to a temp file, checked, then renamed). The blob is the truth: a local copy is
/// only ever made from bytes that matched the hash.
/// </summary>
public sealed class AzureBlobArtifactStore : IArtifactStore
{
    private const string HashMetadata = "sha256";
    private readonly BlobContainerClient _container;
    private readonly AzureBlobFailures _failures;
    private readonly string _cache;
    private volatile bool _containerReady;

    public AzureBlobArtifactStore(IOptions<ArtifactOptions> options, DatabaseSettings database, AzureBlobClientOverrides? overrides = null)
    {
        (_container, _failures, _cache) = AzureBlobContainer.Open(options.Value.AzureBlob, database, overrides);
    }

    /// <summary>Whether the SDK accepts the value as a connection string (checked on start; the value is never shown).</summary>
    public static bool IsConnectionString(string value)
    {
        try
        {
            _ = new BlobServiceClient(value);
            return true;
        }
        catch (Exception e) when (e is FormatException or ArgumentException or InvalidOperationException)
        {
            return false;
        }
    }

    public Task<StagedArtifact> StageAsync(Stream content, long maxBytes, CancellationToken ct) => ContentFile.StageAsync(_cache, content, maxBytes, ct);

    /// <summary>
    /// Asks for a blob's properties (one HEAD): it answers for a down service and refused credentials, and needs no
    /// more than a SAS limited to objects may do (a container-level call would fail such a valid deployment).
    /// </summary>
    public async Task CheckAsync(CancellationToken ct) =>
        await _failures.GuardAsync("health probe", ct, () => _container.GetBlobClient(".health-probe").ExistsAsync(ct));

    public async Task<PublishedArtifact> PublishAsync(StagedArtifact staged, CancellationToken ct)
    {
        var blob = Blob(staged.Sha256);
        var published = await _failures.GuardAsync(staged.Sha256, ct, async () =>
        {
            await EnsureContainerAsync(ct);
            try
            {
                return await UploadAsync(blob, staged, ct);
            }
            catch (RequestFailedException e) when (e.ErrorCode == BlobErrorCode.ContainerNotFound)
            {
                _containerReady = false; // deleted since this process created it
                await EnsureContainerAsync(ct);
                return await UploadAsync(blob, staged, ct);
            }
        });
        ContentFile.MoveIntoPlace(staged.Path, CachePath(staged.Sha256));
        staged.Published = true;
        return published;
    }

    public async Task<Stream> OpenReadAsync(string sha256, CancellationToken ct)
    {
        var blob = Blob(sha256);
        var download = await _failures.GuardAsync(sha256, ct, () => blob.DownloadStreamingAsync(cancellationToken: ct));
        return new HashVerifyingStream(download.Value.Content, sha256);
    }

    public async Task<string> GetLocalPathAsync(string sha256, bool verify, CancellationToken ct)
    {
        var local = CachePath(sha256);
        if (File.Exists(local))
        {
            if (!verify)
                return local;
            // Verifying a cached copy: the blob must still be there under the same hash, and the copy must still hash right.
            await CheckBlobAsync(sha256, ct);
            if (await ContentFile.HashAsync(local, ct) == sha256)
                return local;
            File.Delete(local);
        }
        await DownloadAsync(sha256, local, ct);
        return local;
    }

    private async Task CheckBlobAsync(string sha256, CancellationToken ct)
    {
        var blob = Blob(sha256);
        var properties = await _failures.GuardAsync(sha256, ct, () => blob.GetPropertiesAsync(cancellationToken: ct));
        if (properties.Value.Metadata.TryGetValue(HashMetadata, out var labelled) && labelled != sha256)
            throw HashVerifyingStream.Mismatch(sha256, labelled);
    }

    private async Task DownloadAsync(string sha256, string target, CancellationToken ct)
    {
        var temp = ContentFile.NewTempPath(_cache);
        var blob = Blob(sha256);
        var (actual, _) = await _failures.GuardAsync(sha256, ct, async () =>
        {
            var download = await blob.DownloadStreamingAsync(cancellationToken: ct);
            await using var content = download.Value.Content;
            return await ContentFile.WriteAsync(content, temp, long.MaxValue, ct);
        });
        if (actual != sha256)
        {
            File.Delete(temp);
            throw HashVerifyingStream.Mismatch(sha256, actual);
        }
        ContentFile.MoveIntoPlace(temp, target);
    }

    private static async Task<PublishedArtifact> UploadAsync(BlobClient blob, StagedArtifact staged, CancellationToken ct)
    {
        while (true)
        {
            try
            {
                // If-None-Match: * makes the commit conditional: of two racing publishers one stores, the other finds it there.
                // A failed upload commits nothing, so no row can point at half a blob.
                var stored = await blob.UploadAsync(staged.Path, new BlobUploadOptions
                {
                    Conditions = new BlobRequestConditions { IfNoneMatch = ETag.All },
                    Metadata = Metadata(staged.Sha256),
                    HttpHeaders = new BlobHttpHeaders { ContentType = "application/octet-stream" },
                }, ct);
                return new PublishedArtifact(new StoredArtifact(staged.Sha256, staged.Size, stored.Value.LastModified.UtcDateTime, stored.Value.ETag.ToString()), Created: true);
            }
            catch (RequestFailedException e) when (e.Status is 409 or 412)
            {
                // The same content is already stored: its name is its hash.
            }
            try
            {
                // Writing the metadata again renews Last-Modified and the ETag, so a sweep that listed the blob before
                // leaves it alone: the new row that will point at it may not have committed yet.
                var renewed = await blob.SetMetadataAsync(Metadata(staged.Sha256), cancellationToken: ct);
                return new PublishedArtifact(new StoredArtifact(staged.Sha256, staged.Size, renewed.Value.LastModified.UtcDateTime, renewed.Value.ETag.ToString()), Created: false);
            }
            catch (RequestFailedException e) when (e.ErrorCode == BlobErrorCode.BlobNotFound)
            {
                // Removed by a sweep between the two calls: store it after all.
            }
        }
    }

    public async IAsyncEnumerable<StoredArtifact> ListAsync([EnumeratorCancellation] CancellationToken ct)
    {
        var pages = _container.GetBlobsAsync(new GetBlobsOptions { Prefix = ContentAddress.Prefix }, ct).AsPages().GetAsyncEnumerator(ct);
        await using (pages)
        {
            while (await _failures.GuardAsync("", ct, () => NextPageAsync(pages)))
            {
                foreach (var item in pages.Current.Values)
                {
                    if (ContentAddress.HashOf(item.Name) is { } sha256 && item.Properties is { LastModified: { } modified, ETag: { } etag })
                        yield return new StoredArtifact(sha256, item.Properties.ContentLength ?? 0, modified.UtcDateTime, etag.ToString());
                }
            }
        }
    }

    private static async Task<bool> NextPageAsync(IAsyncEnumerator<Azure.Page<BlobItem>> pages)
    {
        try
        {
            return await pages.MoveNextAsync();
        }
        catch (RequestFailedException e) when (e.ErrorCode == BlobErrorCode.ContainerNotFound)
        {
            return false; // nothing was ever stored
        }
    }

    public async Task<bool> RemoveIfUnchangedAsync(StoredArtifact seen, CancellationToken ct)
    {
        var blob = Blob(seen.Sha256);
        try
        {
            await _failures.GuardAsync(seen.Sha256, ct, () => blob.DeleteAsync(DeleteSnapshotsOption.None,
                new BlobRequestConditions { IfMatch = new ETag(seen.Version) }, ct));
        }
        catch (Exception e) when (e is NotFoundException || e is RequestFailedException { Status: 412 })
        {
            return false; // gone already, or published again since it was seen
        }
        // Only this process's copy: another node's stays until its cache is cleared, and is never handed out for a row.
        var copy = CachePath(seen.Sha256);
        if (File.Exists(copy))
            File.Delete(copy);
        return true;
    }

    private static Dictionary<string, string> Metadata(string sha256) => new() { [HashMetadata] = sha256 };

    private async Task EnsureContainerAsync(CancellationToken ct)
    {
        if (_containerReady)
            return;
        try
        {
            await _container.CreateIfNotExistsAsync(cancellationToken: ct);
        }
        catch (RequestFailedException e) when (e.Status == 403 && (e.ErrorCode == BlobErrorCode.AuthorizationPermissionMismatch || e.ErrorCode == BlobErrorCode.AuthorizationResourceTypeMismatch))
        {
            // A credential scoped to an existing container may not create one; the upload itself tells whether it may write.
        }
        _containerReady = true;
    }

    private BlobClient Blob(string sha256) => _container.GetBlobClient(ContentAddress.Of(sha256));

    private string CachePath(string sha256) => ContentAddress.PathUnder(_cache, sha256);
}
