using System.Security.Cryptography;
using ControlPlane.Domain.Artifacts;
using ControlPlane.Domain.Common;
using Xunit;

namespace ControlPlane.TestSupport;

/// <summary>
/// What every artifact store promises, run against each real store. A "node" is one process: nodes share the backing
/// storage (a directory, a container) but not what a process keeps locally.
/// </summary>
public abstract class ArtifactStoreSuite : IAsyncLifetime
{
    protected TempDirectory Local { get; } = new("cp-artifacts");

    protected abstract IArtifactStore Store(int node = 0);

    /// <summary>Overwrites the stored bytes behind the store's back, as a broken disk or an attacker with storage rights would.</summary>
    protected abstract Task TamperAsync(string sha256, byte[] content);

    /// <summary>The content addresses (<c>sha256/ab/…</c>) held by the backing storage.</summary>
    protected abstract Task<IReadOnlyList<string>> StoredAsync();

    [Fact]
    public async Task A_published_artifact_reads_back_byte_for_byte_from_any_node()
    {
        var content = Bytes(100_000, seed: 1);
        var store = Store();

        var staged = await store.StageAsync(new MemoryStream(content), 1 << 20, default);
        Assert.Equal(Sha256(content), staged.Sha256);
        Assert.Equal(content.Length, staged.Size);
        await store.PublishAsync(staged, default);
        await staged.DisposeAsync();

        Assert.False(File.Exists(staged.Path));
        Assert.Equal([ContentAddress.Of(staged.Sha256)], await StoredAsync());
        foreach (var node in new[] { 0, 1 })
        {
            Assert.Equal(content, await ReadAsync(Store(node), staged.Sha256));
            Assert.Equal(content, await File.ReadAllBytesAsync(await Store(node).GetLocalPathAsync(staged.Sha256, verify: true, default)));
        }
    }

    [Fact]
    public async Task Publishing_the_same_content_again_stores_it_once()
    {
        var content = Bytes(5_000, seed: 2);
        var store = Store();

        for (var i = 0; i < 2; i++)
        {
            await using var staged = await store.StageAsync(new MemoryStream(content), 1 << 20, default);
            await store.PublishAsync(staged, default);
            Assert.False(File.Exists(staged.Path));
        }

        Assert.Equal([ContentAddress.Of(Sha256(content))], await StoredAsync());
        Assert.Equal(content, await ReadAsync(store, Sha256(content)));
    }

    [Fact]
    public async Task Two_nodes_publishing_the_same_content_at_once_both_succeed_and_it_is_stored_once()
    {
        var contents = Enumerable.Range(100, 128).Select(seed => Bytes(1_000, seed)).ToList();
        var (first, second) = (Store(1), Store(2));

        foreach (var content in contents)
        {
            await using var a = await first.StageAsync(new MemoryStream(content), 1 << 20, default);
            await using var b = await second.StageAsync(new MemoryStream(content), 1 << 20, default);
            // Both threads leave the barrier together, so the check for an existing copy and the write really race.
            using var start = new Barrier(2);
            await Task.WhenAll(
                Task.Run(async () => { start.SignalAndWait(); await first.PublishAsync(a, default); }),
                Task.Run(async () => { start.SignalAndWait(); await second.PublishAsync(b, default); }));
            Assert.False(File.Exists(a.Path) || File.Exists(b.Path));
        }

        Assert.Equal(contents.Select(c => ContentAddress.Of(Sha256(c))).Order(), (await StoredAsync()).Order());
        foreach (var content in contents)
            Assert.Equal(content, await ReadAsync(Store(3), Sha256(content)));
    }

    [Fact]
    public async Task Publishing_says_whether_this_call_stored_the_content_and_the_listing_shows_it_once_with_its_size()
    {
        var content = Bytes(5_000, seed: 8);
        var created = new List<bool>();
        foreach (var node in new[] { 0, 1 })
        {
            await using var staged = await Store(node).StageAsync(new MemoryStream(content), 1 << 20, default);
            created.Add((await Store(node).PublishAsync(staged, default)).Created);
        }

        Assert.Equal([true, false], created);
        var listed = Assert.Single(await Store(2).ListAsync(default).ToListAsync());
        Assert.Equal((Sha256(content), (long)content.Length), (listed.Sha256, listed.Size));
    }

    [Fact]
    public async Task An_artifact_is_removed_as_it_was_seen_but_not_once_it_was_published_again()
    {
        var content = Bytes(5_000, seed: 9);
        var sha256 = await PublishAsync(Store(), content);
        var seen = Assert.Single(await Store(1).ListAsync(default).ToListAsync());

        await PublishAsync(Store(2), content); // an upload of the same bytes whose row has not committed yet
        Assert.False(await Store(1).RemoveIfUnchangedAsync(seen, default));
        Assert.Equal(content, await ReadAsync(Store(3), sha256));

        var renewed = Assert.Single(await Store(1).ListAsync(default).ToListAsync());
        Assert.True(await Store(1).RemoveIfUnchangedAsync(renewed, default));
        Assert.Empty(await StoredAsync());
        Assert.False(await Store(1).RemoveIfUnchangedAsync(renewed, default));
        await Assert.ThrowsAsync<NotFoundException>(() => Store(1).OpenReadAsync(sha256, default));
    }

    [Fact]
    public async Task Stored_bytes_changed_behind_the_stores_back_fail_the_hash_check_on_read()
    {
        var content = Bytes(50_000, seed: 3);
        var sha256 = await PublishAsync(Store(), content);
        var tampered = (byte[])content.Clone();
        tampered[^1] ^= 0xFF;

        await TamperAsync(sha256, tampered);

        await using (var stream = await Store().OpenReadAsync(sha256, default))
        {
            var error = await Assert.ThrowsAsync<InvalidDataException>(() => stream.CopyToAsync(Stream.Null));
            Assert.Contains(sha256, error.Message);
        }
        // A node that has no good copy of its own must not hand out a file with the wrong bytes.
        await Assert.ThrowsAsync<InvalidDataException>(() => Store(1).GetLocalPathAsync(sha256, verify: true, default));
    }

    [Fact]
    public async Task A_missing_artifact_is_not_found_however_it_is_asked_for()
    {
        var sha256 = Sha256(Bytes(10, seed: 4));
        var store = Store();

        Assert.Contains(sha256, (await Assert.ThrowsAsync<NotFoundException>(() => store.OpenReadAsync(sha256, default))).Message);
        await Assert.ThrowsAsync<NotFoundException>(() => store.GetLocalPathAsync(sha256, verify: false, default));
        await Assert.ThrowsAsync<NotFoundException>(() => store.GetLocalPathAsync(sha256, verify: true, default));
    }

    [Fact]
    public async Task An_upload_over_the_limit_or_an_empty_one_is_refused_and_nothing_is_kept()
    {
        var store = Store();

        await Assert.ThrowsAsync<PayloadTooLargeException>(() => store.StageAsync(new MemoryStream(Bytes(300_000, seed: 5)), 200_000, default));
        await Assert.ThrowsAsync<ValidationException>(() => store.StageAsync(new MemoryStream([]), 200_000, default));

        Assert.Empty(Directory.EnumerateFiles(Local.Path, "*", SearchOption.AllDirectories));
        Assert.Empty(await StoredAsync());
    }

    [Fact]
    public async Task A_staged_upload_that_is_never_published_is_deleted_and_never_stored()
    {
        var store = Store();
        var staged = await store.StageAsync(new MemoryStream(Bytes(1_000, seed: 6)), 1 << 20, default);
        Assert.True(File.Exists(staged.Path));

        await staged.DisposeAsync();

        Assert.False(File.Exists(staged.Path));
        Assert.Empty(await StoredAsync());
        await Assert.ThrowsAsync<NotFoundException>(() => store.OpenReadAsync(staged.Sha256, default));
    }

    [Fact]
    public async Task A_local_path_is_stable_and_holds_the_content()
    {
        var content = Bytes(30_000, seed: 7);
        var sha256 = await PublishAsync(Store(), content);
        var reader = Store(1);

        var first = await reader.GetLocalPathAsync(sha256, verify: false, default);
        var again = await reader.GetLocalPathAsync(sha256, verify: false, default);
        var verified = await reader.GetLocalPathAsync(sha256, verify: true, default);

        Assert.Equal(first, again);
        Assert.Equal(first, verified);
        Assert.StartsWith(Local.Path, first);
        Assert.Equal(content, await File.ReadAllBytesAsync(first));
    }

    protected static async Task<string> PublishAsync(IArtifactStore store, byte[] content)
    {
        await using var staged = await store.StageAsync(new MemoryStream(content), 1 << 20, default);
        await store.PublishAsync(staged, default);
        return staged.Sha256;
    }

    protected static async Task<byte[]> ReadAsync(IArtifactStore store, string sha256)
    {
        await using var stream = await store.OpenReadAsync(sha256, default);
        var copy = new MemoryStream();
        await stream.CopyToAsync(copy);
        return copy.ToArray();
    }

    protected static byte[] Bytes(int length, int seed)
    {
        var bytes = new byte[length];
        new Random(seed).NextBytes(bytes);
        return bytes;
    }

    protected static string Sha256(byte[] content) => Convert.ToHexStringLower(SHA256.HashData(content));

    public Task InitializeAsync() => Task.CompletedTask;

    public virtual Task DisposeAsync()
    {
        Local.Dispose();
        return Task.CompletedTask;
    }
}
