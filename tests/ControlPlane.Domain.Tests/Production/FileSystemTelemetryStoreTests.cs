using ControlPlane.Domain.Artifacts;
using ControlPlane.Domain.Persistence;
using ControlPlane.Domain.Production;
using ControlPlane.TestSupport;
using Microsoft.Extensions.Options;

namespace ControlPlane.Domain.Tests.Production;

/// <summary>The shared telemetry store behaviour on a directory; every node is a process on the same (shared) directory.</summary>
public sealed class FileSystemTelemetryStoreTests : TelemetryStoreSuite
{
    protected override ITelemetryStore Store(int node = 0) =>
        new FileSystemTelemetryStore(Options.Create(new ArtifactOptions { Directory = "store" }), new DatabaseSettings(DatabaseProvider.Sqlite, "", Local.Path));

    // Everything under the test's directory but the local source files the test wrote: an escape from store/ shows too.
    protected override Task<IReadOnlyList<string>> EverythingStoredAsync() => Task.FromResult<IReadOnlyList<string>>(
        [.. Directory.EnumerateFiles(Local.Path, "*", SearchOption.AllDirectories).Where(f => !f.EndsWith(".bin", StringComparison.Ordinal))]);

    [Fact]
    public async Task Outside_readers_find_the_files_under_the_store_location_in_hive_partitions_and_no_temp_file_is_left()
    {
        var path = SegmentPath(id: Guid.Parse("0f8fad5b-d9cb-469f-a165-70867728950e"));
        await Store().PutAsync(path, await LocalFileAsync(Bytes(1_000, seed: 1)), default);

        Assert.Equal(
            [Path.Combine(Local.Path, "store", "telemetry", "model=credit", "kind=predictions", "date=2026-01-15", "hour=08", "segment-0f8fad5bd9cb469fa16570867728950e.parquet")],
            await EverythingStoredAsync());
        Assert.Equal(Path.Combine(Local.Path, "store"), Store().Location);
    }
}
