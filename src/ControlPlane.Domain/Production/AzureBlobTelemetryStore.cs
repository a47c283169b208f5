using System.Runtime.CompilerServices;
using Azure;
using Azure.Storage.Blobs;
using Azure.Storage.Blobs.Models;
using ControlPlane.Domain.Artifacts;
using ControlPlane.Domain.Persistence;
using Microsoft.Extensions.Options;

namespace ControlPlane.Domain.Production;

/// <summary>
/// Telemetry as blobs named by their path in the artifact container. A blob upload commits whole or not at all, so a
/// completed put is durable. Readers get a local copy in the cache directory (segments never change once written, so a
/// copy is good for as long as the segment lives).
/// </summary>
public sealed class AzureBlobTelemetryStore : ITelemetryStore
{
    private readonly BlobContainerClient _container;
    private readonly AzureBlobFailures _failures;
    private readonly string _cache;

    public AzureBlobTelemetryStore(IOptions<ArtifactOptions> options, DatabaseSettings database, AzureBlobClientOverrides? overrides = null)
    {
        (_container, _failures, _cache) = AzureBlobContainer.Open(options.Value.AzureBlob, database, overrides);
    }

    public string Location => new UriBuilder(_container.Uri) { Query = "", UserName = "", Password = "" }.Uri.ToString();

    public async Task PutAsync(string path, string localFile, CancellationToken ct)
    {
        await using var source = new FileStream(localFile, FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 16, useAsync: true);
        await PutAsync(path, source, ct);
    }

    public async Task PutAsync(string path, Stream content, CancellationToken ct)
    {
        var start = content.Position;
        await _failures.GuardAsync(TelemetryPaths.RequireFile(path), ct, async () =>
        {
            try
            {
                await UploadAsync(path, content, ct);
            }
            catch (RequestFailedException e) when (e.ErrorCode == BlobErrorCode.ContainerNotFound)
            {
                await _container.CreateIfNotExistsAsync(cancellationToken: ct);
                content.Position = start;
                await UploadAsync(path, content, ct);
            }
        });
    }

    private Task UploadAsync(string path, Stream content, CancellationToken ct) =>
        _container.GetBlobClient(path).UploadAsync(content, new BlobUploadOptions
        {
            Conditions = new BlobRequestConditions { IfNoneMatch = ETag.All },
            HttpHeaders = new BlobHttpHeaders { ContentType = "application/vnd.apache.parquet" },
        }, ct);

    public async Task<string> GetLocalPathAsync(string path, CancellationToken ct)
    {
        var local = CachePath(path);
        if (File.Exists(local))
            return local;
        Directory.CreateDirectory(Path.GetDirectoryName(local)!);
        var temp = $"{local}.{Guid.NewGuid():N}.part";
        try
        {
            await _failures.GuardAsync(path, ct, () => _container.GetBlobClient(path).DownloadToAsync(temp, ct));
            File.Move(temp, local, overwrite: true);
        }
        finally
        {
            if (File.Exists(temp))
                File.Delete(temp);
        }
        return local;
    }

    public async Task DeleteAsync(string path, CancellationToken ct)
    {
        var local = CachePath(path);
        await _failures.GuardAsync(path, ct, () => _container.GetBlobClient(path).DeleteIfExistsAsync(cancellationToken: ct));
        if (File.Exists(local))
            File.Delete(local);
    }

    // A blob is committed whole, so every listed blob is a finished file.
    public IAsyncEnumerable<string> ListAsync(string prefix, CancellationToken ct) =>
        ListFilesAsync(prefix, ct).Select(f => f.Path).Where(p => p.EndsWith(".parquet", StringComparison.Ordinal));

    public async IAsyncEnumerable<TelemetryFile> ListFilesAsync(string prefix, [EnumeratorCancellation] CancellationToken ct)
    {
        var folder = TelemetryPaths.RequireFolder(prefix);
        var pages = _container.GetBlobsAsync(new GetBlobsOptions { Prefix = folder }, ct).AsPages().GetAsyncEnumerator(ct);
        await using (pages)
        {
            while (await _failures.GuardAsync(folder, ct, () => NextPageAsync(pages)))
            {
                foreach (var item in pages.Current.Values)
                    // A blob without a time counts as new: the sweep never takes what it cannot date.
                    yield return new TelemetryFile(item.Name, item.Properties.LastModified?.UtcDateTime ?? DateTime.MaxValue);
            }
        }
    }

    private string CachePath(string path)
    {
        var local = Path.GetFullPath(Path.Combine(_cache, TelemetryPaths.RequireFile(path)));
        return local.StartsWith(Path.Combine(_cache, TelemetryPaths.Root) + Path.DirectorySeparatorChar, StringComparison.Ordinal)
            ? local
            : throw new ArgumentException($"'{path}' is not a telemetry path.", nameof(path));
    }

    private static async Task<bool> NextPageAsync(IAsyncEnumerator<Page<BlobItem>> pages)
    {
        try
        {
            return await pages.MoveNextAsync();
        }
        catch (RequestFailedException e) when (e.ErrorCode == BlobErrorCode.ContainerNotFound)
        {
            return false;
        }
    }
}
