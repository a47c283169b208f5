using Azure.Storage.Blobs;
using Azure.Storage.Sas;
using ControlPlane.Domain.Artifacts;
using ControlPlane.Domain.Common;
using ControlPlane.Domain.Persistence;
using ControlPlane.TestSupport;
using Microsoft.Extensions.Options;

namespace ControlPlane.Integration.Tests.Artifacts;

/// <summary>
/// The shared store behaviour on the Azurite blob service, plus what only a remote store has: a local cache, a
/// service that can be down, and credentials that must stay out of every message. Each test has a container of its own.
/// </summary>
public sealed class AzureBlobArtifactStoreTests : ArtifactStoreSuite
{
    private readonly string _containerName = AzuriteServer.NewContainerName();
    private readonly BlobContainerClient _container;

    public AzureBlobArtifactStoreTests() => _container = new BlobContainerClient(AzuriteServer.ConnectionString, _containerName);

    protected override IArtifactStore Store(int node = 0) => Store(AzuriteServer.ConnectionString, node);

    private AzureBlobArtifactStore Store(string connectionString, int node) => new(
        Options.Create(new ArtifactOptions
        {
            Provider = nameof(ArtifactProvider.AzureBlob),
            AzureBlob = new AzureBlobArtifactOptions { ConnectionString = connectionString, Container = _containerName, CacheDirectory = $"cache-{node}", MaxRetries = 1 },
        }),
        new DatabaseSettings(DatabaseProvider.Sqlite, "", Local.Path));

    protected override async Task TamperAsync(string sha256, byte[] content) =>
        await _container.GetBlobClient(ContentAddress.Of(sha256)).UploadAsync(new BinaryData(content), overwrite: true);

    protected override async Task<IReadOnlyList<string>> StoredAsync()
    {
        if (!await _container.ExistsAsync())
            return [];
        var names = new List<string>();
        await foreach (var blob in _container.GetBlobsAsync())
            names.Add(blob.Name);
        return names;
    }

    [Fact]
    public async Task The_container_is_created_on_first_use_and_each_blob_is_labelled_with_its_hash()
    {
        await Store().CheckAsync(default); // ready before the container exists
        Assert.False(await _container.ExistsAsync());

        var sha256 = await PublishAsync(Store(), Bytes(1_000, seed: 20));

        var properties = await _container.GetBlobClient(ContentAddress.Of(sha256)).GetPropertiesAsync();
        Assert.Equal(sha256, properties.Value.Metadata["sha256"]);
    }

    [Fact]
    public async Task Publishing_content_that_is_already_stored_keeps_its_bytes_and_label_and_renews_its_etag()
    {
        var content = Bytes(1_000, seed: 30);
        var sha256 = await PublishAsync(Store(), content);
        var blob = _container.GetBlobClient(ContentAddress.Of(sha256));
        var before = (await blob.GetPropertiesAsync()).Value;

        await PublishAsync(Store(1), content);

        // The new ETag is what stops a sweep that listed the blob before from removing it under a committing row.
        var after = (await blob.GetPropertiesAsync()).Value;
        Assert.NotEqual(before.ETag, after.ETag);
        Assert.Equal(sha256, after.Metadata["sha256"]);
        Assert.Equal(content, (await blob.DownloadContentAsync()).Value.Content.ToArray());
    }

    [Fact]
    public async Task A_container_deleted_while_the_process_runs_is_created_again_on_the_next_upload()
    {
        var store = Store();
        await PublishAsync(store, Bytes(1_000, seed: 32));
        await _container.DeleteAsync();
        var content = Bytes(1_000, seed: 33);

        var sha256 = await PublishAsync(store, content);

        Assert.Equal([ContentAddress.Of(sha256)], await StoredAsync());
        Assert.Equal(content, await ReadAsync(Store(1), sha256));
    }

    [Fact]
    public async Task A_cached_copy_is_reused_without_the_service_and_verify_still_asks_the_service()
    {
        var content = Bytes(10_000, seed: 21);
        var sha256 = await PublishAsync(Store(), content);
        var path = await Store(1).GetLocalPathAsync(sha256, verify: false, default);

        await _container.GetBlobClient(ContentAddress.Of(sha256)).DeleteAsync();

        Assert.Equal(path, await Store(1).GetLocalPathAsync(sha256, verify: false, default));
        Assert.Equal(content, await File.ReadAllBytesAsync(path));
        await Assert.ThrowsAsync<NotFoundException>(() => Store(1).GetLocalPathAsync(sha256, verify: true, default));
    }

    [Fact]
    public async Task A_damaged_local_copy_is_fetched_again_when_verified()
    {
        var content = Bytes(10_000, seed: 22);
        var sha256 = await PublishAsync(Store(), content);
        var path = await Store().GetLocalPathAsync(sha256, verify: false, default);

        await File.WriteAllBytesAsync(path, Bytes(10_000, seed: 99));

        Assert.Equal(path, await Store().GetLocalPathAsync(sha256, verify: true, default));
        Assert.Equal(content, await File.ReadAllBytesAsync(path));
    }

    [Fact]
    public async Task A_blob_labelled_with_another_hash_fails_verification()
    {
        var sha256 = await PublishAsync(Store(), Bytes(1_000, seed: 23));
        var other = Sha256(Bytes(1_000, seed: 24));

        await _container.GetBlobClient(ContentAddress.Of(sha256)).SetMetadataAsync(new Dictionary<string, string> { ["sha256"] = other });

        Assert.Contains(other, (await Assert.ThrowsAsync<InvalidDataException>(() => Store().GetLocalPathAsync(sha256, verify: true, default))).Message);
    }

    [Fact]
    public async Task A_download_that_fails_the_hash_check_leaves_no_local_copy()
    {
        var sha256 = await PublishAsync(Store(), Bytes(10_000, seed: 25));
        await TamperAsync(sha256, Bytes(10_000, seed: 26));

        await Assert.ThrowsAsync<InvalidDataException>(() => Store(1).GetLocalPathAsync(sha256, verify: false, default));

        Assert.False(Directory.Exists(Path.Combine(Local.Path, "cache-1", "sha256")));
        Assert.Empty(Directory.EnumerateFiles(Path.Combine(Local.Path, "cache-1"), "*", SearchOption.AllDirectories));
    }

    [Fact]
    public async Task A_service_that_is_down_is_a_clear_error_that_shows_no_key_and_stores_nothing()
    {
        var down = Store(AzuriteServer.Unreachable(), node: 0);
        var content = Bytes(1_000, seed: 27);
        var staged = await down.StageAsync(new MemoryStream(content), 1 << 20, default);

        var errors = new List<ArtifactStoreUnavailableException>
        {
            await Assert.ThrowsAsync<ArtifactStoreUnavailableException>(() => down.PublishAsync(staged, default)),
            await Assert.ThrowsAsync<ArtifactStoreUnavailableException>(() => down.OpenReadAsync(staged.Sha256, default)),
            await Assert.ThrowsAsync<ArtifactStoreUnavailableException>(() => down.GetLocalPathAsync(staged.Sha256, verify: false, default)),
            await Assert.ThrowsAsync<ArtifactStoreUnavailableException>(() => down.CheckAsync(default)), // the readiness probe
        };

        foreach (var error in errors)
        {
            Assert.Contains("cannot be reached", error.Message);
            Assert.Contains($"127.0.0.1:", error.Message);
            Assert.DoesNotContain(AzuriteServer.AccountKey, error.ToString());
        }
        // Not published: the staged file is still the caller's to drop, and nothing reached the real service.
        Assert.True(File.Exists(staged.Path));
        await staged.DisposeAsync();
        Assert.False(File.Exists(staged.Path));
        Assert.Empty(await StoredAsync());
    }

    [Fact]
    public async Task A_wrong_account_key_is_refused_credentials_not_a_missing_artifact()
    {
        var wrongKey = AzuriteServer.ConnectionString.Replace(AzuriteServer.AccountKey, Convert.ToBase64String(Bytes(64, seed: 28)));
        var store = Store(wrongKey, node: 0);

        var error = await Assert.ThrowsAsync<ArtifactStoreUnavailableException>(() => PublishAsync(store, Bytes(100, seed: 29)));
        var probe = await Assert.ThrowsAsync<ArtifactStoreUnavailableException>(() => store.CheckAsync(default));

        Assert.Contains("refused the credentials", error.Message);
        Assert.Contains("refused the credentials", probe.Message);
        Assert.DoesNotContain(Convert.ToBase64String(Bytes(64, seed: 28)), error.ToString());
        Assert.Empty(await StoredAsync());
    }

    [Fact]
    public async Task A_SAS_that_may_only_read_and_write_objects_works_once_the_container_exists()
    {
        var service = new BlobServiceClient(AzuriteServer.ConnectionString);
        await _container.CreateAsync();
        var sas = service.GenerateAccountSasUri(AccountSasPermissions.Read | AccountSasPermissions.Create | AccountSasPermissions.Write,
            DateTimeOffset.UtcNow.AddHours(1), AccountSasResourceTypes.Object);
        var connectionString = $"BlobEndpoint={service.Uri};SharedAccessSignature={sas.Query.TrimStart('?')}";
        var store = Store(connectionString, node: 0);
        var content = Bytes(2_000, seed: 31);
        var refused = await Assert.ThrowsAsync<Azure.RequestFailedException>(() => new BlobContainerClient(connectionString, AzuriteServer.NewContainerName()).CreateAsync());
        Assert.Equal(403, refused.Status);

        await store.CheckAsync(default); // the readiness probe needs no more than this SAS allows
        var sha256 = await PublishAsync(store, content);

        Assert.Equal(content, await ReadAsync(Store(1), sha256));
        Assert.Equal(content, await ReadAsync(store, sha256));
    }

    public override async Task DisposeAsync()
    {
        await _container.DeleteIfExistsAsync();
        await base.DisposeAsync();
    }
}
