using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using ControlPlane.Workers.Drift.Statistics;

namespace ControlPlane.Benchmarks;

/// <summary>
/// rows × columns reference values against as many current values, all four numerical methods (KS, Wasserstein, PSI,
/// Jensen–Shannon) on every column through <see cref="DriftEngine"/>, once without drift and once with a clear drift
/// on half the columns. Each measured run is a child process, so its peak resident memory (VmHWM) can be set against
/// the input size (2 × rows × columns × 8 bytes). The reference, in the same run, is scipy/numpy on the same numbers
/// (benchmarks/drift_reference.py); the figures of both are compared column by column.
/// </summary>
internal static class DriftScenario
{
    private const string Python = "/usr/bin/python3";

    private static readonly DriftOptions AllNumericalMethods = new()
    {
        AlsoReport = [DriftMethod.KolmogorovSmirnov, DriftMethod.Wasserstein, DriftMethod.Psi, DriftMethod.JensenShannon],
    };

    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    /// <summary>What one side measured: seconds computing (and loading, Python), peak RSS, and each column's figures.</summary>
    private sealed record Run(double Seconds, double PeakMiB, double? LoadSeconds, int? DriftedColumns, List<Figures> Columns);

    private sealed record Figures(double Ks, double P, double W, double Psi, double Js);

    public static async Task RunAsync(int rows, int columns, int repeats)
    {
        var directory = Directory.CreateTempSubdirectory("cp-drift-bench").FullName;
        try
        {
            var sw = Stopwatch.StartNew();
            var files = new Dictionary<DriftBenchData.Side, string>();
            foreach (var side in Enum.GetValues<DriftBenchData.Side>())
            {
                files[side] = Path.Combine(directory, $"{side}.npy".ToLowerInvariant());
                await DriftBenchData.WriteNpyAsync(files[side], side, rows, columns);
            }
            var inputMiB = 2.0 * rows * columns * sizeof(double) / (1 << 20);
            Console.WriteLine(Invariant($"generated {rows:N0} × {columns} per side in {sw.Elapsed.TotalSeconds:F1} s; input {inputMiB:F0} MiB (2 × rows × columns × 8 bytes)"));
            Console.WriteLine();
            Console.WriteLine("| case | run | ControlPlane s | drifted columns | peak RSS MiB | peak ÷ input | scipy/numpy s | Python peak RSS MiB | scipy ÷ ControlPlane |");
            Console.WriteLine("|---|---|---|---|---|---|---|---|---|");
            List<string> agreement = [];
            foreach (var (label, current) in new[] { ("no drift", DriftBenchData.Side.Current), ($"{DriftBenchData.Shift}σ shift, half the columns", DriftBenchData.Side.Drifted) })
            {
                for (var i = 1; i <= repeats; i++)
                {
                    var ours = Parse(await SelfProcess.RunAsync("drift-run", files[DriftBenchData.Side.Reference], files[current]));
                    var theirs = Parse(await PythonAsync(files[DriftBenchData.Side.Reference], files[current]));
                    Console.WriteLine(Invariant(
                        $"| {label} | {i} | {Seconds(ours)} | {ours?.DriftedColumns}/{columns} | {ours?.PeakMiB:F0} | {ours?.PeakMiB / inputMiB:F2} | {Seconds(theirs)} | {theirs?.PeakMiB:F0} | {theirs?.Seconds / ours?.Seconds:F1} |"));
                    if (i == 1 && ours is not null && theirs is not null)
                        agreement.Add($"{label}: {Agreement(ours, theirs)}");
                }
            }
            Console.WriteLine();
            Console.WriteLine("Largest differences from scipy/numpy over the columns (relative; p absolute):");
            foreach (var line in agreement)
                Console.WriteLine($"- {line}");
        }
        finally
        {
            Directory.Delete(directory, recursive: true);
        }
    }

    /// <summary>The measured work, in a child process: prints the time to compare, the peak RSS and the figures, as JSON.</summary>
    public static void Measure(string referencePath, string currentPath)
    {
        var reference = DriftBenchData.ReadNpy(referencePath);
        var current = DriftBenchData.ReadNpy(currentPath);
        var sw = Stopwatch.StartNew();
        var result = DriftEngine.Compare(
            [.. reference.Select((values, c) => DriftColumnInput.Numerical($"c{c}", values))],
            [.. current.Select((values, c) => DriftColumnInput.Numerical($"c{c}", values))],
            AllNumericalMethods);
        var seconds = sw.Elapsed.TotalSeconds;

        double Statistic(ColumnDriftResult column, DriftMethod method) => column.Tests.Single(t => t.Method == method).Statistic;
        var figures = result.Columns.Select(c => new Figures(
            Statistic(c, DriftMethod.KolmogorovSmirnov), c.Tests.Single(t => t.Method == DriftMethod.KolmogorovSmirnov).PValue!.Value,
            Statistic(c, DriftMethod.Wasserstein), Statistic(c, DriftMethod.Psi), Statistic(c, DriftMethod.JensenShannon))).ToList();
        Console.WriteLine(JsonSerializer.Serialize(new Run(seconds, SelfProcess.PeakMiB(), null, result.Columns.Count(c => c.Drifted), figures), Json));
    }

    private static async Task<string> PythonAsync(string reference, string current)
    {
        var script = Path.Combine(AppContext.BaseDirectory, "drift_reference.py");
        if (!File.Exists(Python))
            return "n/a (python3 not installed)";
        var info = new ProcessStartInfo(Python, [script, reference, current]) { RedirectStandardOutput = true, RedirectStandardError = true };
        using var process = Process.Start(info)!;
        var output = process.StandardOutput.ReadToEndAsync();
        var error = await process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        return process.ExitCode == 0 ? (await output).Trim() : $"n/a ({error.Split('\n').LastOrDefault(l => l.Length > 0)})";
    }

    private static Run? Parse(string output)
    {
        if (output.StartsWith('{'))
            return JsonSerializer.Deserialize<Run>(output, Json);
        Console.WriteLine($"(a run gave no figures: {output})");
        return null;
    }

    private static string Seconds(Run? run) => run is null ? "n/a"
        : Invariant($"{run.Seconds:F2}") + (run.LoadSeconds is { } load ? Invariant($" (+{load:F2} load)") : "");

    private static string Agreement(Run ours, Run theirs)
    {
        static double Relative(double a, double b) => a == b ? 0 : Math.Abs(a - b) / Math.Max(Math.Abs(a), Math.Abs(b));
        var pairs = ours.Columns.Zip(theirs.Columns).ToList();
        double Max(Func<Figures, Figures, double> difference) => pairs.Max(p => difference(p.First, p.Second));
        var (d, w, psi) = (Max((a, b) => Relative(a.Ks, b.Ks)), Max((a, b) => Relative(a.W, b.W)), Max((a, b) => Relative(a.Psi, b.Psi)));
        var (js, p) = (Max((a, b) => Relative(a.Js, b.Js)), Max((a, b) => Math.Abs(a.P - b.P)));
        return $"D {Short(d)}, W {Short(w)}, PSI {Short(psi)}, JS {Short(js)}, p {Short(p)}";
    }

    private static string Short(double difference) => difference == 0 ? "0" : difference.ToString("0.0E+0", CultureInfo.InvariantCulture);

    private static string Invariant(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);
}
