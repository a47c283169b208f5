using System.Diagnostics;
using System.Globalization;
using System.Text;
using ControlPlane.Domain.Datasets;
using ControlPlane.Domain.Datasets.Profiling;
using ControlPlane.Domain.Datasets.Reading;
using Parquet;
using Parquet.Schema;

namespace ControlPlane.Benchmarks;

/// <summary>
/// Profiles a generated rows × columns numeric CSV (and the same data as Parquet) three ways: the validating scan alone
/// (type inference; what an upload above the inline limit does), the scan that profiles on the way (what an upload
/// within the inline limit does), and the profile alone from the file (what the profile job does: moments, exact
/// quantiles, histograms), the last also with the CSV read in order on one core. Each measured run is a child process
/// so its peak resident memory (VmHWM) is its own; it does the work twice, timing the first run (JIT compiling as it
/// goes) and the second (as a long-running worker does it). The reference, in the same run, is pandas
/// <c>read_csv</c> + <c>describe</c> with the same seven quantiles (Debian's python3-pandas, when installed).
/// </summary>
internal static class ProfileScenario
{
    private static readonly string[] Modes = ["scan", "scan+profile", "profile", "profile-in-order"];

    public static async Task RunAsync(int rows, int columns, int repeats)
    {
        var directory = Directory.CreateTempSubdirectory("cp-profile-bench").FullName;
        try
        {
            var csv = Path.Combine(directory, "data.csv");
            var parquet = Path.Combine(directory, "data.parquet");
            var sw = Stopwatch.StartNew();
            await WriteCsvAsync(csv, rows, columns);
            await WriteParquetAsync(parquet, rows, columns);
            Console.WriteLine($"generated {rows:N0} × {columns} in {sw.Elapsed.TotalSeconds:F1} s: CSV {new FileInfo(csv).Length / 1e6:F0} MB, Parquet {new FileInfo(parquet).Length / 1e6:F0} MB");

            Console.WriteLine("Each cell: first run in a fresh process / the same work again in that process (as a worker that has run it before).");
            Console.WriteLine();
            Console.WriteLine("| run | file | scan s | scan + profile, one pass s | profile alone s | profile alone, in order s | peak RSS MiB, one pass (first run) | peak RSS MiB, profile (first run) |");
            Console.WriteLine("|---|---|---:|---:|---:|---:|---:|---:|");
            for (var i = 1; i <= repeats; i++)
            {
                foreach (var path in new[] { csv, parquet })
                {
                    var runs = new List<string[]>();
                    foreach (var mode in path == csv ? Modes : Modes[..^1])
                        runs.Add((await SelfProcess.RunAsync("profile-run", mode, path)).Split(' '));
                    var inOrder = runs.Count > 3 ? runs[3][0] : "";
                    Console.WriteLine($"| ControlPlane #{i} | {Path.GetExtension(path)} | {runs[0][0]} | {runs[1][0]} | {runs[2][0]} | {inOrder} | {runs[1][^1]} | {runs[2][^1]} |");
                }
                Console.WriteLine($"| pandas #{i} | .csv | | | {await PandasAsync(csv)} |");
            }
        }
        finally
        {
            Directory.Delete(directory, recursive: true);
        }
    }

    /// <summary>
    /// The measured work, run in a child process twice: first with everything still to be compiled by the JIT, then
    /// again as a long-running worker runs it. Prints "first/again peakMiB", the peak resident set of the first run
    /// (the second starts with what the first left to the GC).
    /// </summary>
    public static async Task MeasureAsync(string mode, string path)
    {
        var first = await TimeAsync(mode, path);
        var peak = SelfProcess.PeakMiB();
        var again = await TimeAsync(mode, path);
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{first:F2}/{again:F2} {peak}"));
    }

    private static async Task<double> TimeAsync(string mode, string path)
    {
        var format = DatasetFormats.Detect(path);
        var sw = Stopwatch.StartNew();
        var rows = mode switch
        {
            "scan" => (await DatasetScanner.ScanAsync(path)).RowCount,
            "scan+profile" => await ScanAndProfileAsync(path, format),
            "profile" => await ProfileAsync(path, format, CsvBlockOptions.Default),
            "profile-in-order" => await ProfileAsync(path, format, CsvBlockOptions.InOrder),
            _ => throw new ArgumentException($"Unknown mode '{mode}'.", nameof(mode)),
        };
        if (rows <= 0)
            throw new InvalidOperationException("no rows");
        return sw.Elapsed.TotalSeconds;
    }

    private static async Task<long> ScanAndProfileAsync(string path, DatasetFormat format)
    {
        var scan = await DatasetScanner.ScanAsync(path, null, ProfileOptions.Default, null, CancellationToken.None);
        var profile = await DatasetProfiler.ProfileAsync(scan, c => TabularReader.OpenAsync(path, format, null, c),
            scan.Columns.Select(c => new ProfileColumn(c.Ordinal, c.Name, c.InferredType)).ToList(), ProfileOptions.Default, null, CancellationToken.None);
        return profile.RowCount == scan.RowCount ? profile.RowCount : throw new InvalidOperationException("row counts differ");
    }

    /// <summary>The job's work: the types come from the stored schema, here all numerical.</summary>
    private static async Task<long> ProfileAsync(string path, DatasetFormat format, CsvBlockOptions blocks)
    {
        using var reader = await TabularReader.OpenAsync(path, format, null, blocks, CancellationToken.None);
        var columns = reader.ColumnNames.Select((name, i) => new ProfileColumn(i, name, ColumnType.Numerical)).ToList();
        var profile = await DatasetProfiler.ProfileAsync(reader, c => TabularReader.OpenAsync(path, format, null, c),
            columns, ProfileOptions.Default, null, CancellationToken.None);
        return profile.RowCount;
    }

    private static async Task<string> PandasAsync(string csv)
    {
        const string python = "/usr/bin/python3";
        if (!File.Exists(python))
            return "n/a | | | n/a (python3 not installed)";
        const string script = """
            import sys, time, resource
            import pandas as pd
            t = time.perf_counter()
            df = pd.read_csv(sys.argv[1])
            r = time.perf_counter()
            d = df.describe(percentiles=[.01, .05, .25, .5, .75, .95, .99])
            e = time.perf_counter()
            print(f"{e - t:.2f} (read {r - t:.2f} + describe {e - r:.2f}) | | | {resource.getrusage(resource.RUSAGE_SELF).ru_maxrss // 1024}")
            """;
        var info = new ProcessStartInfo(python, ["-c", script, csv]) { RedirectStandardOutput = true, RedirectStandardError = true };
        using var process = Process.Start(info)!;
        var output = await process.StandardOutput.ReadToEndAsync();
        var error = await process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        return process.ExitCode == 0 ? output.Trim() : $"n/a | | | n/a ({error.Split('\n').LastOrDefault(l => l.Length > 0)})";
    }

    /// <summary>Deterministic values with full round-trip precision (~18 characters each), like exported features.</summary>
    private static double Value(Random random, int column) => (column % 3) switch
    {
        0 => random.NextDouble() * 1000,
        1 => Math.Exp(random.NextDouble() * 5),
        _ => (random.NextDouble() + random.NextDouble() + random.NextDouble() - 1.5) * 40,
    };

    private static async Task WriteCsvAsync(string path, int rows, int columns)
    {
        var random = new Random(42);
        await using var writer = new StreamWriter(path, false, new UTF8Encoding(false), 1 << 20);
        await writer.WriteLineAsync(string.Join(',', Enumerable.Range(1, columns).Select(c => $"f{c}")));
        var line = new StringBuilder();
        for (var r = 0; r < rows; r++)
        {
            line.Clear();
            for (var c = 0; c < columns; c++)
            {
                if (c > 0)
                    line.Append(',');
                line.Append(Value(random, c).ToString("R", CultureInfo.InvariantCulture));
            }
            await writer.WriteLineAsync(line);
        }
    }

    private static async Task WriteParquetAsync(string path, int rows, int columns)
    {
        const int groupSize = 100_000;
        var random = new Random(42);
        var fields = Enumerable.Range(1, columns).Select(c => new DataField<double>($"f{c}")).ToArray();
        await using var file = File.Create(path);
        await using var writer = await ParquetWriter.CreateAsync(new ParquetSchema(fields), file);
        var values = Enumerable.Range(0, columns).Select(_ => new double[groupSize]).ToArray();
        for (var start = 0; start < rows; start += groupSize)
        {
            var count = Math.Min(groupSize, rows - start);
            for (var r = 0; r < count; r++)
                for (var c = 0; c < columns; c++)
                    values[c][r] = Value(random, c);
            using var group = writer.CreateRowGroup();
            for (var c = 0; c < columns; c++)
                await group.WriteAsync<double>(fields[c], values[c].AsMemory(0, count));
        }
    }
}
