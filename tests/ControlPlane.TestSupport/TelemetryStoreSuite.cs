using ControlPlane.Domain.Common;
using ControlPlane.Domain.Production;
using Xunit;

namespace ControlPlane.TestSupport;

/// <summary>
/// What every telemetry store promises, run against each real store. A "node" is one process: nodes share the backing
/// storage (a directory, a container) but not what a process keeps locally.
/// </summary>
public abstract class TelemetryStoreSuite : IAsyncLifetime
{
    private static readonly DateTime Hour = new(2026, 1, 15, 8, 0, 0, DateTimeKind.Utc);

    protected TempDirectory Local { get; } = new("cp-telemetry-store");

    protected abstract ITelemetryStore Store(int node = 0);

    /// <summary>Every file or blob the backing storage holds, wherever it is (not only under telemetry/), and no node's local copies.</summary>
    protected abstract Task<IReadOnlyList<string>> EverythingStoredAsync();

    public static string SegmentPath(string model = "credit", Guid? id = null) =>
        TelemetryPaths.Segment(model, TelemetryKind.Predictions, Hour, id ?? Guid.NewGuid());

    [Fact]
    public async Task A_stored_file_reads_back_byte_for_byte_from_any_node_and_is_listed_under_its_model_and_hour()
    {
        var content = Bytes(200_000, seed: 1);
        var path = SegmentPath();
        var before = DateTime.UtcNow.AddMinutes(-5);

        await Store().PutAsync(path, await LocalFileAsync(content), default);

        foreach (var node in new[] { 0, 1 })
            Assert.Equal(content, await File.ReadAllBytesAsync(await Store(node).GetLocalPathAsync(path, default)));
        Assert.Equal([path], await Store(1).ListAsync(TelemetryPaths.Model("credit"), default).ToListAsync());
        Assert.Equal([path], await Store(1).ListAsync(TelemetryPaths.Hour("credit", TelemetryKind.Predictions, Hour), default).ToListAsync());
        Assert.Empty(await Store(1).ListAsync(TelemetryPaths.Hour("credit", TelemetryKind.Actuals, Hour), default).ToListAsync());
        var listed = Assert.Single(await Store(1).ListFilesAsync(TelemetryPaths.Root, default).ToListAsync());
        Assert.Equal(path, listed.Path);
        Assert.InRange(listed.LastWrittenUtc, before, DateTime.UtcNow.AddMinutes(5));
    }

    [Fact]
    public async Task Content_put_from_memory_reads_back_byte_for_byte_from_any_node()
    {
        var content = Bytes(150_000, seed: 4);
        var path = SegmentPath();
        using var memory = new MemoryStream(content);

        await Store().PutAsync(path, memory, default);

        foreach (var node in new[] { 0, 1 })
            Assert.Equal(content, await File.ReadAllBytesAsync(await Store(node).GetLocalPathAsync(path, default)));
    }

    [Fact]
    public async Task A_listing_is_by_folder_so_model_a_does_not_list_model_ab()
    {
        var (a, ab) = (SegmentPath("a"), SegmentPath("ab"));
        await Store().PutAsync(a, await LocalFileAsync(Bytes(10, 2)), default);
        await Store().PutAsync(ab, await LocalFileAsync(Bytes(10, 3)), default);

        Assert.Equal([a], await Store().ListAsync(TelemetryPaths.Model("a"), default).ToListAsync());
        Assert.Equal([a], await Store().ListAsync(TelemetryPaths.Model("a") + "/", default).ToListAsync());
        Assert.Equal(new[] { a, ab }.Order(StringComparer.Ordinal), (await Store().ListAsync(TelemetryPaths.Root, default).ToListAsync()).Order(StringComparer.Ordinal));
    }

    [Fact]
    public async Task A_put_never_overwrites_a_stored_file()
    {
        var path = SegmentPath();
        var first = Bytes(1_000, seed: 4);
        await Store().PutAsync(path, await LocalFileAsync(first), default);

        var second = await LocalFileAsync(Bytes(1_000, seed: 5));
        await Assert.ThrowsAnyAsync<Exception>(() => Store(1).PutAsync(path, second, default));

        Assert.Equal(first, await File.ReadAllBytesAsync(await Store(2).GetLocalPathAsync(path, default)));
    }

    [Fact]
    public async Task A_cancelled_put_stores_nothing_not_even_part_of_the_file()
    {
        var path = SegmentPath();
        var local = await LocalFileAsync(Bytes(3_000_000, seed: 6));
        using var cancelled = new CancellationTokenSource();
        await cancelled.CancelAsync();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => Store().PutAsync(path, local, cancelled.Token));

        Assert.Empty(await EverythingStoredAsync());
        await Assert.ThrowsAsync<NotFoundException>(() => Store(1).GetLocalPathAsync(path, default));
    }

    [Fact]
    public async Task A_reader_listing_while_files_are_stored_sees_each_file_whole_or_not_at_all()
    {
        var content = Bytes(4_000_000, seed: 7);
        var local = await LocalFileAsync(content);
        var paths = Enumerable.Range(0, 6).Select(_ => SegmentPath()).ToList();
        var writing = Task.Run(async () =>
        {
            foreach (var path in paths)
                await Store(1).PutAsync(path, local, default);
        });

        var seen = new HashSet<string>();
        while (seen.Count < paths.Count)
        {
            var done = writing.IsCompleted;
            foreach (var path in await Store(2).ListAsync(TelemetryPaths.Root, default).ToListAsync())
            {
                if (seen.Add(path))
                    Assert.Equal(content.Length, new FileInfo(await Store(2).GetLocalPathAsync(path, default)).Length);
            }
            if (done && seen.Count < paths.Count)
                break;
        }
        await writing;
        Assert.Equal(paths.Order(StringComparer.Ordinal), seen.Order(StringComparer.Ordinal));
    }

    [Fact]
    public async Task A_deleted_file_is_gone_from_every_node_and_deleting_a_missing_file_is_no_error()
    {
        var path = SegmentPath();
        await Store().PutAsync(path, await LocalFileAsync(Bytes(1_000, seed: 8)), default);
        await Store(1).GetLocalPathAsync(path, default); // a node that has read it (a remote store keeps a local copy)

        await Store(1).DeleteAsync(path, default);
        await Store(2).DeleteAsync(path, default);
        await Store(2).DeleteAsync(SegmentPath("never-written"), default);

        Assert.Empty(await Store().ListAsync(TelemetryPaths.Root, default).ToListAsync());
        await Assert.ThrowsAsync<NotFoundException>(() => Store(1).GetLocalPathAsync(path, default));
        await Assert.ThrowsAsync<NotFoundException>(() => Store(0).GetLocalPathAsync(path, default));
    }

    [Theory]
    [InlineData("sha256/ab/abcdef")]
    [InlineData("telemetry")]
    [InlineData("telemetry2/model=a/segment.parquet")]
    [InlineData("telemetry/../sha256/ab/abcdef")]
    [InlineData("telemetry/model=a/../../escaped.parquet")]
    [InlineData("telemetry//model=a/x.parquet")]
    [InlineData("telemetry/./x.parquet")]
    [InlineData("/telemetry/x.parquet")]
    [InlineData("telemetry\\..\\escaped.parquet")]
    [InlineData("")]
    public async Task A_path_outside_telemetry_is_refused_by_every_operation_and_nothing_is_written(string path)
    {
        var local = await LocalFileAsync(Bytes(100, seed: 9));

        await Assert.ThrowsAsync<ArgumentException>(() => Store().PutAsync(path, local, default));
        await Assert.ThrowsAsync<ArgumentException>(() => Store().GetLocalPathAsync(path, default));
        await Assert.ThrowsAsync<ArgumentException>(() => Store().DeleteAsync(path, default));

        Assert.Empty(await EverythingStoredAsync());
    }

    [Theory]
    [InlineData("sha256")]
    [InlineData("telemetry/../sha256")]
    [InlineData("telemetry2")]
    [InlineData("")]
    public async Task A_listing_outside_telemetry_is_refused(string prefix)
    {
        await Assert.ThrowsAsync<ArgumentException>(() => Store().ListAsync(prefix, default).ToListAsync().AsTask());
        await Assert.ThrowsAsync<ArgumentException>(() => Store().ListFilesAsync(prefix, default).ToListAsync().AsTask());
    }

    protected async Task<string> LocalFileAsync(byte[] content)
    {
        var file = Local.File($"{Guid.NewGuid():N}.bin");
        await File.WriteAllBytesAsync(file, content);
        return file;
    }

    protected static byte[] Bytes(int length, int seed)
    {
        var bytes = new byte[length];
        new Random(seed).NextBytes(bytes);
        return bytes;
    }

    public virtual Task InitializeAsync() => Task.CompletedTask;

    public virtual Task DisposeAsync()
    {
        Local.Dispose();
        return Task.CompletedTask;
    }
}
