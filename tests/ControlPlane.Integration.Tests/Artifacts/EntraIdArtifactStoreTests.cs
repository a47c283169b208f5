using Azure.Core;
using Azure.Identity;
using Azure.Storage.Blobs;
using ControlPlane.Domain.Artifacts;
using ControlPlane.Domain.Persistence;
using ControlPlane.TestSupport;
using Microsoft.Extensions.Options;

namespace ControlPlane.Integration.Tests.Artifacts;

/// <summary>
/// The shared store behaviour with a service URI and a Microsoft Entra ID token credential instead of a connection
/// string, on an Azurite that checks bearer tokens over https: every put, get, list and delete carries a token the
/// service checked. A token for another audience is refused with an error that says what to check.
/// </summary>
public sealed class EntraIdArtifactStoreTests(AzuriteOAuthServer azurite) : ArtifactStoreSuite, IClassFixture<AzuriteOAuthServer>
{
    private readonly string _containerName = AzuriteServer.NewContainerName();
    private readonly StorageTokenCredential _credential = new();

    private BlobContainerClient Container => new BlobServiceClient(azurite.ServiceUri, new StorageTokenCredential(),
        new BlobClientOptions { Transport = azurite.Transport }).GetBlobContainerClient(_containerName);

    protected override IArtifactStore Store(int node = 0) => Store(_credential, node);

    private AzureBlobArtifactStore Store(TokenCredential credential, int node) => new(
        Options.Create(new ArtifactOptions
        {
            Provider = nameof(ArtifactProvider.AzureBlob),
            AzureBlob = new AzureBlobArtifactOptions
            {
                ServiceUri = azurite.ServiceUri.ToString(), Credential = "ManagedIdentity", Container = _containerName, CacheDirectory = $"cache-{node}", MaxRetries = 1,
            },
        }),
        new DatabaseSettings(DatabaseProvider.Sqlite, "", Local.Path),
        new AzureBlobClientOverrides(credential, azurite.Transport));

    protected override async Task TamperAsync(string sha256, byte[] content) =>
        await Container.GetBlobClient(ContentAddress.Of(sha256)).UploadAsync(new BinaryData(content), overwrite: true);

    protected override async Task<IReadOnlyList<string>> StoredAsync()
    {
        if (!await Container.ExistsAsync())
            return [];
        var names = new List<string>();
        await foreach (var blob in Container.GetBlobsAsync())
            names.Add(blob.Name);
        return names;
    }

    [Fact]
    public async Task One_token_for_Azure_Storage_serves_a_store_from_publish_to_delete()
    {
        var store = Store(_credential, node: 0);
        var content = Bytes(5_000, seed: 40);

        var sha256 = await PublishAsync(store, content);
        Assert.Equal(content, await ReadAsync(store, sha256));
        var listed = new List<StoredArtifact>();
        await foreach (var artifact in store.ListAsync(default))
            listed.Add(artifact);
        Assert.Equal(sha256, Assert.Single(listed).Sha256);
        Assert.True(await store.RemoveIfUnchangedAsync(listed[0], default));

        Assert.Empty(await StoredAsync());
        Assert.Equal(1, _credential.Requests); // asked once, then reused until shortly before it expires
        Assert.Equal(["https://storage.azure.com/.default"], _credential.Scopes);
    }

    [Fact]
    public async Task A_token_for_another_audience_is_refused_at_the_first_use_with_what_to_check_and_nothing_is_stored()
    {
        var store = Store(new StorageTokenCredential(audience: "https://vault.azure.net"), node: 0);

        var probe = await Assert.ThrowsAsync<ArtifactStoreUnavailableException>(() => store.CheckAsync(default));
        var publish = await Assert.ThrowsAsync<ArtifactStoreUnavailableException>(() => PublishAsync(store, Bytes(100, seed: 41)));

        foreach (var error in new[] { probe, publish })
        {
            // Azurite answers 403 AuthenticationFailed; Azure Storage answers 401 InvalidAuthenticationInfo.
            Assert.Contains("refused the Entra ID token (HTTP 403 AuthenticationFailed", error.Message);
            Assert.Contains("Storage Blob Data Contributor role on the container", error.Message);
            Assert.Contains("https://storage.azure.com", error.Message);
            Assert.Contains(azurite.ServiceUri.Authority, error.Message);
        }
        Assert.Contains("Invalid token audience.", publish.Message); // the service's reason, where the answer has a body (a probe's HEAD has none)
        Assert.Empty(await StoredAsync());
    }

    [Fact]
    public async Task An_identity_that_gets_no_token_is_a_clear_error_and_nothing_is_stored()
    {
        // Azure.Identity's own client against an Entra ID endpoint where nothing listens: no token can be had.
        var noEntraId = new ClientSecretCredential("72f988bf-86f1-41af-91ab-2d7cd011db47", "7f0c8a52-1d5e-4f3b-9a43-0d2a55c4e6b1", "not-a-secret",
            new ClientSecretCredentialOptions { AuthorityHost = new Uri($"https://127.0.0.1:{FreePort.Next()}"), Retry = { MaxRetries = 0 } });
        var store = Store(noEntraId, node: 0);

        var probe = await Assert.ThrowsAsync<ArtifactStoreUnavailableException>(() => store.CheckAsync(default));
        var publish = await Assert.ThrowsAsync<ArtifactStoreUnavailableException>(() => PublishAsync(store, Bytes(100, seed: 42)));

        foreach (var error in new[] { probe, publish })
        {
            Assert.Contains("could not get an Entra ID token for it (ClientSecretCredential authentication failed", error.Message);
            Assert.DoesNotContain("not-a-secret", error.ToString());
        }
        Assert.Empty(await StoredAsync());
    }

    public override async Task DisposeAsync()
    {
        await Container.DeleteIfExistsAsync();
        await base.DisposeAsync();
    }
}
