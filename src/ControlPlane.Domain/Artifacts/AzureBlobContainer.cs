using Azure.Storage.Blobs;
using ControlPlane.Domain.Persistence;

namespace ControlPlane.Domain.Artifacts;

/// <summary>
/// The artifact container as both blob stores (artifacts, telemetry) open it: its client with the configured retries
/// and credentials (a connection string, or the service URI with an Entra ID token credential), and the local cache directory.
/// </summary>
internal sealed record AzureBlobContainer(BlobContainerClient Client, AzureBlobFailures Failures, string CacheDirectory)
{
    public static AzureBlobContainer Open(AzureBlobArtifactOptions settings, DatabaseSettings database, AzureBlobClientOverrides? overrides)
    {
        var client = new BlobClientOptions();
        client.Retry.MaxRetries = settings.MaxRetries;
        if (overrides?.Transport is { } transport)
            client.Transport = transport;
        var usesToken = settings.UsesServiceUri;
        var service = usesToken
            ? new BlobServiceClient(new Uri(settings.ServiceUri!), overrides?.Credential ?? AzureBlobCredential.From(settings), client)
            : new BlobServiceClient(settings.ConnectionString, client);
        var container = service.GetBlobContainerClient(settings.Container);
        return new AzureBlobContainer(container, new AzureBlobFailures(container, usesToken), Path.GetFullPath(settings.CacheDirectory, database.DataDirectory));
    }
}
