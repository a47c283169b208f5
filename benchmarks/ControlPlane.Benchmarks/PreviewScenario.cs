using System.Diagnostics;
using System.Globalization;
using ControlPlane.Domain.Datasets;
using ControlPlane.Domain.Datasets.Reading;
using Parquet;
using Parquet.Schema;

namespace ControlPlane.Benchmarks;

/// <summary>
/// The first 100 rows of a Parquet file as text, as the dataset preview reads them, from a file written with large
/// row groups (1,000,000 rows, as pyarrow writes by default): time and bytes allocated, each run in this process.
/// </summary>
internal static class PreviewScenario
{
    public static async Task RunAsync(int groupRows, int columns, int repeats)
    {
        var directory = Directory.CreateTempSubdirectory("cp-preview-bench").FullName;
        try
        {
            var path = Path.Combine(directory, "data.parquet");
            await WriteAsync(path, groupRows, columns);
            Console.WriteLine($"{2 * groupRows:N0} rows × {columns} doubles in 2 row groups: {new FileInfo(path).Length / 1e6:F0} MB");
            Console.WriteLine("| run | preview of 100 rows s | allocated MB |");
            Console.WriteLine("|---|---:|---:|");
            for (var i = 1; i <= repeats; i++)
            {
                var before = GC.GetTotalAllocatedBytes(precise: true);
                var sw = Stopwatch.StartNew();
                using (var reader = await TabularReader.OpenAsync(path, DatasetFormat.Parquet))
                {
                    var batch = new TabularBatch([.. Enumerable.Range(0, columns).Select(c => new ColumnRequest(c, ColumnReadAs.Text))], 100);
                    await reader.ReadAsync(batch);
                }
                Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                    $"| {i} | {sw.Elapsed.TotalSeconds:F2} | {(GC.GetTotalAllocatedBytes(precise: true) - before) / 1e6:F0} |"));
            }
        }
        finally
        {
            Directory.Delete(directory, recursive: true);
        }
    }

    private static async Task WriteAsync(string path, int groupRows, int columns)
    {
        var fields = Enumerable.Range(1, columns).Select(c => new DataField<double>($"f{c}")).ToArray();
        var random = new Random(7);
        await using var file = File.Create(path);
        await using var writer = await ParquetWriter.CreateAsync(new ParquetSchema(fields), file);
        for (var g = 0; g < 2; g++)
        {
            using var group = writer.CreateRowGroup();
            foreach (var field in fields)
                await group.WriteAsync<double>(field, Enumerable.Range(0, groupRows).Select(_ => random.NextDouble()).ToArray());
        }
    }
}
