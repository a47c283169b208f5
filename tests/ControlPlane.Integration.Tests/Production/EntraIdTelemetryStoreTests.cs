using Azure.Storage.Blobs;
using ControlPlane.Domain.Artifacts;
using ControlPlane.Domain.Persistence;
using ControlPlane.Domain.Production;
using ControlPlane.TestSupport;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace ControlPlane.Integration.Tests.Production;

/// <summary>
/// The shared telemetry store behaviour with a service URI and a Microsoft Entra ID token credential, on an Azurite
/// that checks bearer tokens over https; and both blob stores as the app registers them from that configuration.
/// </summary>
public sealed class EntraIdTelemetryStoreTests(AzuriteOAuthServer azurite) : TelemetryStoreSuite, IClassFixture<AzuriteOAuthServer>
{
    private readonly string _containerName = AzuriteServer.NewContainerName();
    private readonly StorageTokenCredential _credential = new();

    private BlobContainerClient Container => new BlobServiceClient(azurite.ServiceUri, new StorageTokenCredential(),
        new BlobClientOptions { Transport = azurite.Transport }).GetBlobContainerClient(_containerName);

    protected override ITelemetryStore Store(int node = 0) => new AzureBlobTelemetryStore(
        Options.Create(new ArtifactOptions
        {
            Provider = nameof(ArtifactProvider.AzureBlob),
            AzureBlob = new AzureBlobArtifactOptions { ServiceUri = azurite.ServiceUri.ToString(), Container = _containerName, CacheDirectory = $"cache-{node}", MaxRetries = 1 },
        }),
        new DatabaseSettings(DatabaseProvider.Sqlite, "", Local.Path),
        new AzureBlobClientOverrides(_credential, azurite.Transport));

    protected override async Task<IReadOnlyList<string>> EverythingStoredAsync()
    {
        if (!await Container.ExistsAsync())
            return [];
        var names = new List<string>();
        await foreach (var blob in Container.GetBlobsAsync())
            names.Add(blob.Name);
        return names;
    }

    [Fact]
    public async Task The_app_registration_opens_both_stores_on_the_service_uri_with_the_credential_in_its_place()
    {
        var credential = new StorageTokenCredential();
        await using var host = await DomainHost.StartAsync(new Dictionary<string, string?>
        {
            ["ControlPlane:Artifacts:Provider"] = "AzureBlob",
            ["ControlPlane:Artifacts:AzureBlob:ServiceUri"] = azurite.ServiceUri.ToString(),
            ["ControlPlane:Artifacts:AzureBlob:Credential"] = "ManagedIdentity",
            ["ControlPlane:Artifacts:AzureBlob:ClientId"] = "7f0c8a52-1d5e-4f3b-9a43-0d2a55c4e6b1",
            ["ControlPlane:Artifacts:AzureBlob:Container"] = _containerName,
        }, services => services.AddSingleton(new AzureBlobClientOverrides(credential, azurite.Transport)));
        var artifacts = host.Services.GetRequiredService<IArtifactStore>();
        var telemetry = host.Services.GetRequiredService<ITelemetryStore>();
        var segment = SegmentPath();
        var content = Bytes(3_000, seed: 7);

        await using (var staged = await artifacts.StageAsync(new MemoryStream(content), 1 << 20, default))
            await artifacts.PublishAsync(staged, default);
        await telemetry.PutAsync(segment, new MemoryStream(content), default);

        Assert.Equal([ContentAddress.Of(Sha256(content)), segment], (await EverythingStoredAsync()).Order(StringComparer.Ordinal));
        Assert.Equal(content, await File.ReadAllBytesAsync(await telemetry.GetLocalPathAsync(segment, default)));
        Assert.Equal(2, credential.Requests); // one token per store's client, each reused
    }

    private static string Sha256(byte[] content) => Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(content));

    public override async Task DisposeAsync()
    {
        await Container.DeleteIfExistsAsync();
        await base.DisposeAsync();
    }
}
