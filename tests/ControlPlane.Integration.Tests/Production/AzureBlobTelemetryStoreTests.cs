using Azure.Storage.Blobs;
using ControlPlane.Domain.Artifacts;
using ControlPlane.Domain.Persistence;
using ControlPlane.Domain.Production;
using ControlPlane.TestSupport;
using Microsoft.Extensions.Options;

namespace ControlPlane.Integration.Tests.Production;

/// <summary>The shared telemetry store behaviour on the Azurite blob service; each test has a container of its own, each node a cache of its own.</summary>
public sealed class AzureBlobTelemetryStoreTests : TelemetryStoreSuite
{
    private readonly string _containerName = AzuriteServer.NewContainerName();
    private readonly BlobContainerClient _container;

    public AzureBlobTelemetryStoreTests() => _container = new BlobContainerClient(AzuriteServer.ConnectionString, _containerName);

    protected override ITelemetryStore Store(int node = 0) => new AzureBlobTelemetryStore(
        Options.Create(new ArtifactOptions
        {
            Provider = nameof(ArtifactProvider.AzureBlob),
            AzureBlob = new AzureBlobArtifactOptions { ConnectionString = AzuriteServer.ConnectionString, Container = _containerName, CacheDirectory = $"cache-{node}", MaxRetries = 1 },
        }),
        new DatabaseSettings(DatabaseProvider.Sqlite, "", Local.Path));

    protected override async Task<IReadOnlyList<string>> EverythingStoredAsync()
    {
        if (!await _container.ExistsAsync())
            return [];
        var names = new List<string>();
        await foreach (var blob in _container.GetBlobsAsync())
            names.Add(blob.Name);
        return names;
    }

    [Fact]
    public async Task Outside_readers_find_the_blobs_by_their_hive_path_at_the_location_which_carries_no_credentials()
    {
        var path = SegmentPath();
        await Store().PutAsync(path, await LocalFileAsync(Bytes(1_000, seed: 1)), default);

        Assert.Equal([path], await EverythingStoredAsync());
        var properties = await _container.GetBlobClient(path).GetPropertiesAsync();
        Assert.Equal("application/vnd.apache.parquet", properties.Value.ContentType);
        Assert.Equal($"{_container.Uri}", Store().Location.TrimEnd('/'));
        Assert.DoesNotContain(AzuriteServer.AccountKey, Store().Location);
    }

    public override async Task DisposeAsync()
    {
        await _container.DeleteIfExistsAsync();
        await base.DisposeAsync();
    }
}
