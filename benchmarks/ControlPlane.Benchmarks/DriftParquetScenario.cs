using System.Diagnostics;
using System.Globalization;
using ControlPlane.Domain.Artifacts;
using ControlPlane.Domain.Datasets;
using ControlPlane.Domain.Drift;
using ControlPlane.Domain.Persistence;
using ControlPlane.Workers.Drift;
using Microsoft.Extensions.Options;
using Parquet;
using Parquet.Schema;

namespace ControlPlane.Benchmarks;

/// <summary>
/// A monitor's run at scale, through the product's own path (<see cref="DriftRunner"/>: artifact store with hash
/// check, streaming Parquet reader, drift engine with default methods): reference rows × columns against current
/// rows × columns of generated Parquet files. A child process per run reports wall time and peak RSS.
/// </summary>
internal static class DriftParquetScenario
{
    public static async Task RunAsync(int referenceRows, int currentRows, int columns, int repeats)
    {
        var directory = Directory.CreateTempSubdirectory("cp-drift-parquet").FullName;
        try
        {
            var sw = Stopwatch.StartNew();
            var reference = Path.Combine(directory, "reference.parquet");
            var current = Path.Combine(directory, "current.parquet");
            await WriteAsync(reference, referenceRows, columns, shift: 0, seed: 1);
            await WriteAsync(current, currentRows, columns, shift: 0.05, seed: 2);
            Console.WriteLine($"generated {referenceRows:N0} and {currentRows:N0} rows × {columns} in {sw.Elapsed.TotalSeconds:F1} s: " +
                $"{new FileInfo(reference).Length / 1e6:F0} MB and {new FileInfo(current).Length / 1e6:F0} MB");
            Console.WriteLine("| run | seconds (hash check + read + compare) | drifted columns | peak RSS MiB |");
            Console.WriteLine("|---|---:|---:|---:|");
            for (var i = 1; i <= repeats; i++)
                Console.WriteLine($"| {i} | {await SelfProcess.RunAsync("drift-parquet-run", directory, referenceRows.ToString(CultureInfo.InvariantCulture), currentRows.ToString(CultureInfo.InvariantCulture), columns.ToString(CultureInfo.InvariantCulture))} |");
        }
        finally
        {
            Directory.Delete(directory, recursive: true);
        }
    }

    /// <summary>The measured run (child process): prints "seconds | drifted | peak".</summary>
    public static async Task MeasureAsync(string directory, int referenceRows, int currentRows, int columns)
    {
        var store = new FileSystemArtifactStore(Options.Create(new ArtifactOptions { Directory = "store" }),
            new DatabaseSettings(DatabaseProvider.Sqlite, "", directory));
        var sw = Stopwatch.StartNew();
        var referenceVersion = await PublishAsync(store, Path.Combine(directory, "reference.parquet"), referenceRows, columns);
        var currentVersion = await PublishAsync(store, Path.Combine(directory, "current.parquet"), currentRows, columns);
        sw.Restart();
        var runner = new DriftRunner(store, new ReferenceSampleCache());
        var (result, _) = await runner.CompareAsync(referenceVersion, currentVersion, new DriftMonitorSettings(), null, CancellationToken.None);
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"{sw.Elapsed.TotalSeconds:F1} | {result.Columns.Count(c => c.Drifted)}/{result.Columns.Count} | {SelfProcess.PeakMiB()}"));
    }

    private static async Task<DatasetVersion> PublishAsync(FileSystemArtifactStore store, string path, int rows, int columns)
    {
        await using var file = File.OpenRead(path);
        await using var staged = await store.StageAsync(file, long.MaxValue, CancellationToken.None);
        await store.PublishAsync(staged, CancellationToken.None);
        var schema = Enumerable.Range(0, columns).Select(c => new DatasetColumn(c, $"f{c + 1}", ColumnType.Numerical, ColumnType.Numerical, ColumnRole.Feature, 0)).ToList();
        return new DatasetVersion
        {
            Id = Guid.NewGuid(), FileSha256 = staged.Sha256, SizeBytes = staged.Size, FileName = Path.GetFileName(path), Format = DatasetFormat.Parquet,
            RowCount = rows, Schema = DatasetColumn.ToJson(schema), CreatedBy = "bench",
        };
    }

    private static async Task WriteAsync(string path, int rows, int columns, double shift, int seed)
    {
        const int groupSize = 100_000;
        var random = new Random(seed);
        var fields = Enumerable.Range(1, columns).Select(c => new DataField<double>($"f{c}")).ToArray();
        await using var file = File.Create(path);
        await using var writer = await ParquetWriter.CreateAsync(new ParquetSchema(fields), file);
        var values = new double[groupSize];
        for (var start = 0; start < rows; start += groupSize)
        {
            var count = Math.Min(groupSize, rows - start);
            using var group = writer.CreateRowGroup();
            for (var c = 0; c < columns; c++)
            {
                for (var r = 0; r < count; r++)
                    values[r] = random.NextDouble() * 10 + c + (c % 4 == 0 ? shift * 10 : 0);
                await group.WriteAsync<double>(fields[c], values.AsMemory(0, count));
            }
        }
    }
}
