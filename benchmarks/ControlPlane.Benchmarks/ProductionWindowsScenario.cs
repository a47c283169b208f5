using System.Diagnostics;
using System.Globalization;
using ControlPlane.Domain.Production;
using ControlPlane.Workers.Drift.Statistics;
using ControlPlane.Workers.Production;
using DuckDB.NET.Data;
using Parquet;
using Parquet.Schema;
using C = ControlPlane.Domain.Production.TelemetryColumns;

namespace ControlPlane.Benchmarks;

/// <summary>
/// One day of hourly windows over logged predictions × 20 numerical features, as the windows job computes them: per
/// hour, DuckDB reads the hour's segment with its actuals (dedup, join, target filter), aggregates every row, pulls the
/// drift sample, and the drift engine compares 20 features against a reference and the previous hour. Generation is a
/// separate process (<c>production-windows-generate</c>), so the measured process's peak memory is the job's.
/// Reference in the same run: a bare DuckDB aggregate (count, mean and p95 latency, non-null counts) over the same files.
/// </summary>
internal static class ProductionWindowsScenario
{
    private const int Features = 20;
    private const int GroupRows = 250_000;
    private static readonly DateTime Day = new(2026, 3, 2, 0, 0, 0, DateTimeKind.Utc);

    public static async Task GenerateAsync(string directory, long rows)
    {
        Directory.CreateDirectory(directory);
        var clock = Stopwatch.StartNew();
        var perHour = rows / 24;
        for (var hour = 0; hour < 24; hour++)
            await WriteHourAsync(directory, hour, perHour);
        Console.WriteLine($"generated {perHour * 24:N0} predictions (+{perHour * 24 / 5:N0} actuals) in 24 hourly segments in {clock.Elapsed.TotalSeconds:F1} s, " +
            $"{Directory.GetFiles(directory).Sum(f => new FileInfo(f).Length) / 1048576.0:N0} MiB");
    }

    private static async Task WriteHourAsync(string directory, int hour, long rows)
    {
        var random = new Random(hour);
        var id = new DataField<string>(C.PredictionId);
        var ts = new DateTimeDataField(C.Timestamp, DateTimeFormat.Timestamp, isAdjustedToUTC: true, unit: DateTimeTimeUnit.Millis);
        var received = new DateTimeDataField(C.ReceivedAt, DateTimeFormat.Timestamp, isAdjustedToUTC: true, unit: DateTimeTimeUnit.Millis);
        var version = new DataField<int>(C.Version);
        var variant = new DataField<string>(C.Variant);
        var alias = new DataField<string>(C.Alias);
        var score = new DataField<double?>(C.Score);
        var latency = new DataField<double?>(C.LatencyMs);
        var error = new DataField<string>(C.Error);
        var features = Enumerable.Range(0, Features).Select(f => new DataField<double?>(C.Feature($"x{f}"))).ToArray();
        var start = Day.AddHours(hour);
        await using (var file = File.Create(Path.Combine(directory, $"predictions-{hour:00}.parquet")))
        await using (var writer = await ParquetWriter.CreateAsync(new ParquetSchema([id, ts, received, version, variant, alias, score, latency, error, .. features]), file))
        {
            // Each id once, as in a file one ingest batch writes or compaction merges without a repeat.
            writer.CustomMetadata = DistinctIdsMark.Metadata();
            for (long first = 0; first < rows; first += GroupRows)
            {
                var n = (int)Math.Min(GroupRows, rows - first);
                using var group = writer.CreateRowGroup();
                await group.WriteAsync(id, Enumerable.Range(0, n).Select(i => $"h{hour}-{first + i}").ToArray());
                var times = Enumerable.Range(0, n).Select(i => start.AddMilliseconds((first + i) * 3_600_000.0 / rows)).ToArray();
                await group.WriteAsync<DateTime>(ts, times);
                await group.WriteAsync<DateTime>(received, times.Select(t => t.AddSeconds(1)).ToArray());
                await group.WriteAsync<int>(version, Enumerable.Range(0, n).Select(i => i % 10 == 0 ? 2 : 1).ToArray());
                await group.WriteAsync(variant, Enumerable.Range(0, n).Select(i => i % 10 == 0 ? "canary" : "primary").ToArray());
                await group.WriteAsync(alias, Enumerable.Range(0, n).Select(_ => "champion").ToArray());
                await group.WriteAsync<double>(score, Enumerable.Range(0, n).Select(_ => (double?)random.NextDouble()).ToArray());
                await group.WriteAsync<double>(latency, Enumerable.Range(0, n).Select(_ => (double?)(3 + 20 * random.NextDouble() * random.NextDouble())).ToArray());
                await group.WriteAsync(error, Enumerable.Range(0, n).Select(_ => random.Next(100) == 0 ? "timeout" : null).ToArray()!);
                foreach (var (field, f) in features.Select((field, f) => (field, f)))
                    await group.WriteAsync<double>(field, Enumerable.Range(0, n).Select(_ => random.Next(200) == 0 ? null : (double?)(Normal(random) + hour * 0.02 * f)).ToArray());
            }
        }
        // Actuals for every fifth prediction, in the same hour's segment.
        var actualRows = rows / 5;
        var actual = new DataField<string>(C.Actual);
        var actualValue = new DataField<double?>(C.ActualValue);
        await using (var file = File.Create(Path.Combine(directory, $"actuals-{hour:00}.parquet")))
        await using (var writer = await ParquetWriter.CreateAsync(new ParquetSchema(id, ts, received, actual, actualValue), file))
        {
            for (long first = 0; first < actualRows; first += GroupRows)
            {
                var n = (int)Math.Min(GroupRows, actualRows - first);
                using var group = writer.CreateRowGroup();
                await group.WriteAsync(id, Enumerable.Range(0, n).Select(i => $"h{hour}-{(first + i) * 5}").ToArray());
                var times = Enumerable.Range(0, n).Select(_ => start.AddMinutes(59)).ToArray();
                await group.WriteAsync<DateTime>(ts, times);
                await group.WriteAsync<DateTime>(received, times);
                await group.WriteAsync(actual, Enumerable.Range(0, n).Select(_ => random.Next(2) == 0 ? "1" : "0").ToArray());
                await group.WriteAsync<double>(actualValue, new double?[n]);
            }
        }
    }

    /// <param name="compareDeduplicated">Also compute every window deduplicated (as before the mark) and compare the results.</param>
    public static async Task MeasureAsync(string directory, bool compareDeduplicated)
    {
        var options = new WindowComputeOptions();
        var settings = new ProductionMonitorSettings { PerformanceMetric = "accuracy", PerformanceThreshold = 0.5, LatencyP95Ms = 20, MaxErrorRate = 0.05 };
        var random = new Random(42);
        var reference = Enumerable.Range(0, Features).ToDictionary(f => $"x{f}", f => DriftColumnInput.Numerical($"x{f}", Enumerable.Range(0, 100_000).Select(_ => Normal(random)).ToArray()));
        var predictions = Enumerable.Range(0, 24).Select(h => Path.Combine(directory, $"predictions-{h:00}.parquet")).ToArray();
        var actuals = Enumerable.Range(0, 24).Select(h => Path.Combine(directory, $"actuals-{h:00}.parquet")).ToArray();

        var bare = Stopwatch.StartNew();
        long bareRows = 0;
        await using (var connection = new DuckDBConnection("DataSource=:memory:"))
        {
            await connection.OpenAsync();
            await using var command = connection.CreateCommand();
            var counts = string.Concat(Enumerable.Range(0, Features).Select(f => $", count(f_x{f})"));
            command.CommandText = $"SELECT date_trunc('hour', ts) h, count(*), avg(latency_ms), quantile_cont(latency_ms, 0.95) {counts} " +
                $"FROM read_parquet([{string.Join(", ", predictions.Select(p => $"'{p}'"))}]) GROUP BY h";
            await using var reader = await command.ExecuteReaderAsync();
            while (await reader.ReadAsync())
                bareRows += reader.GetInt64(1);
        }
        bare.Stop();

        // Where one window's time goes (hour 12, measured apart from the runs below).
        {
            var phase = Stopwatch.StartNew();
            var marks = new List<string>();
            void Mark(string name) { marks.Add($"{name} {phase.Elapsed.TotalSeconds:F2}"); phase.Restart(); }
            await using (var apart = await WindowSession.OpenAsync(options.DuckDbMemoryLimit, CancellationToken.None, trustDistinctMarks: false))
            {
                await (await apart.WindowAsync([predictions[12]], [], TelemetryFilter.ForAlias("champion"), CancellationToken.None)).DisposeAsync();
                Mark("open deduplicated, without actuals");
            }
            await using var session = await WindowSession.OpenAsync(options.DuckDbMemoryLimit, CancellationToken.None);
            await (await session.WindowAsync([predictions[12]], actuals, TelemetryFilter.ForAlias("champion"), CancellationToken.None)).DisposeAsync();
            Mark("open (read the 24 actuals files, labelled rows)");
            await using var t = await session.WindowAsync([predictions[12]], actuals, TelemetryFilter.ForAlias("champion"), CancellationToken.None);
            Mark($"open again (actuals held: labelled rows{(t.ReadDirectly ? ", predictions read directly" : "")})");
            var figures = await t.AggregatesAsync(0.5, CancellationToken.None);
            Mark("aggregates");
            await t.ServedAsync(CancellationToken.None);
            Mark("served");
            var sample = await t.SampleAsync(t.Features, C.Score, figures.Predictions, options.SampleRows, CancellationToken.None);
            Mark("sample");
            await t.LabelledAsync(figures.Labelled, options.LabelledRows, CancellationToken.None);
            Mark("labelled");
            DriftEngine.Compare(t.Features.Select(f => reference[f.Name]).ToList(), t.Features.Select(f => DriftColumnInput.Numerical(f.Name, (double[])sample.Numbers[f.Name].Clone())).ToList());
            Mark("drift vs reference");
            Console.WriteLine("  phases (s): " + string.Join(", ", marks));
        }

        // As the job does now: a window whose only file is marked is read directly. Then as before the distinct-ids mark:
        // every window deduplicated into a temp table. Both must give the same windows.
        // The new way first, so that the peak memory after it is its own (and the phases' above).
        var (directSeconds, directResults, directPeak) = await WindowsAsync(predictions, actuals, settings, options, reference, trustDistinctMarks: true);
        using var self = Process.GetCurrentProcess();
        var summary = string.Create(CultureInfo.InvariantCulture,
            $"windows: 24 hourly windows in {directSeconds:F1} s reading marked files directly (peak RSS by then {directPeak:N0} MiB); " +
            $"bare DuckDB aggregate over the same files: {bareRows:N0} rows in {bare.Elapsed.TotalSeconds:F1} s");
        if (!compareDeduplicated)
        {
            Console.WriteLine(summary);
            return;
        }
        var (dedupSeconds, dedupResults, _) = await WindowsAsync(predictions, actuals, settings, options, reference, trustDistinctMarks: false);
        var differing = 0;
        for (var w = 0; w < directResults.Count; w++)
        {
            if (SameFigures(directResults[w], dedupResults[w]))
                continue;
            differing++;
            Console.WriteLine($"  hour {w:00} differs:\n    read directly: {directResults[w]}\n    deduplicated:  {dedupResults[w]}");
        }
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"{summary}; {dedupSeconds:F1} s deduplicating every window; same results (numbers to 1e-9 relative): {(differing == 0 ? "yes" : $"NO, {differing} windows")}; " +
            $"peak RSS {self.PeakWorkingSet64 / 1048576.0:N0} MiB"));
    }

    /// <summary>
    /// The same text with numbers equal to 1e-9 relative: DuckDB's parallel avg adds in no fixed order, so the last digits
    /// of the latency mean vary from run to run.
    /// </summary>
    private static bool SameFigures(string a, string b)
    {
        var number = new System.Text.RegularExpressions.Regex(@"-?\d+(\.\d+)?(e[-+]?\d+)?", System.Text.RegularExpressions.RegexOptions.IgnoreCase);
        if (number.Replace(a, "#") != number.Replace(b, "#"))
            return false;
        var (x, y) = (number.Matches(a), number.Matches(b));
        for (var i = 0; i < x.Count; i++)
        {
            var (u, v) = (double.Parse(x[i].Value, CultureInfo.InvariantCulture), double.Parse(y[i].Value, CultureInfo.InvariantCulture));
            if (Math.Abs(u - v) > 1e-9 * Math.Max(Math.Abs(u), Math.Abs(v)))
                return false;
        }
        return true;
    }

    private static async Task<(double Seconds, List<string> Results, double PeakMiB)> WindowsAsync(string[] predictions, string[] actuals, ProductionMonitorSettings settings,
        WindowComputeOptions options, Dictionary<string, DriftColumnInput> reference, bool trustDistinctMarks)
    {
        var clock = Stopwatch.StartNew();
        var results = new List<string>();
        WindowSample? previous = null;
        long total = 0, labelled = 0;
        var breached = 0;
        await using (var run = await WindowSession.OpenAsync(options.DuckDbMemoryLimit, CancellationToken.None, trustDistinctMarks))
        {
            // As the job does: each window's statistics compute while DuckDB reads the next one.
            Task<ComputedWindow>? pending = null;
            void Done(ComputedWindow computed, int hour)
            {
                results.Add(computed.Result.ToJson());
                total += computed.Result.Predictions;
                labelled += computed.Labelled;
                breached += computed.Result.Breaches.Count > 0 ? 1 : 0;
                if (hour is 0 or 23)
                    Console.WriteLine($"  hour {hour:00}: {computed.Result.Predictions:N0} predictions, p95 {computed.Result.Latency!.P95:F2} ms, " +
                        $"{computed.Result.Features.Count(f => f.VsReference?.Drifted == true)} of {computed.Result.Features.Count} drifted, " +
                        $"accuracy {computed.Result.Realised!.Metrics["accuracy"]:F3} on {computed.Labelled:N0}, CBPE {computed.Result.Estimated!.Value:F3} ± {1.96 * computed.Result.Estimated.StandardError:F4}");
            }
            for (var hour = 0; hour < 24; hour++)
            {
                WindowReading? reading;
                await using (var telemetry = await run.WindowAsync([predictions[hour]], actuals, TelemetryFilter.ForAlias("champion"), CancellationToken.None))
                    reading = await WindowCalculator.ReadAsync(telemetry, settings, options,
                        (_, features, _) => Task.FromResult<ReferenceColumns?>(new ReferenceColumns(features.ToDictionary(f => f.Name, f => reference[f.Name]), [])), CancellationToken.None);
                if (pending is not null)
                    Done(await pending, hour - 1);
                var before = previous;
                pending = Task.Run(() => WindowCalculator.Compute(reading, settings, before));
                previous = reading?.Sample;
            }
            Done(await pending!, 23);
        }
        clock.Stop();
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"  {(trustDistinctMarks ? "read directly" : "deduplicated")}: {total:N0} predictions ({labelled:N0} labelled), {breached} breached, in {clock.Elapsed.TotalSeconds:F1} s"));
        using var self = Process.GetCurrentProcess();
        return (clock.Elapsed.TotalSeconds, results, self.PeakWorkingSet64 / 1048576.0);
    }

    private static double Normal(Random random) => Math.Sqrt(-2 * Math.Log(1 - random.NextDouble())) * Math.Cos(2 * Math.PI * random.NextDouble());
}
