using Azure.Storage.Blobs;
using ControlPlane.Domain.Persistence;

namespace ControlPlane.Domain.Artifacts;

/// <summary>The artifact container as both blob stores (artifacts, telemetry) open it: its client with the configured retries, and the local cache directory.</summary>
internal sealed record AzureBlobContainer(BlobContainerClient Client, AzureBlobFailures Failures, string CacheDirectory)
{
    public static AzureBlobContainer Open(AzureBlobArtifactOptions settings, DatabaseSettings database)
    {
        var client = new BlobClientOptions();
        client.Retry.MaxRetries = settings.MaxRetries;
        var container = new BlobServiceClient(settings.ConnectionString, client).GetBlobContainerClient(settings.Container);
        return new AzureBlobContainer(container, new AzureBlobFailures(container), Path.GetFullPath(settings.CacheDirectory, database.DataDirectory));
    }
}
