using System.Diagnostics;
using System.Globalization;
using System.Text;
using ControlPlane.Domain.Datasets;
using ControlPlane.Domain.Datasets.Reading;
using ControlPlane.Domain.Training;
using ControlPlane.Workers.Training;

namespace ControlPlane.Benchmarks;

/// <summary>
/// Trains on a generated HIGGS-shaped CSV: 28 numerical features and a binary label from a known logistic rule, with
/// 20 % of the rows held out, so the trainers fit exactly <c>trainRows</c> rows. Each trainer runs in a child process
/// (its own peak memory and CPU time) through the same path as a training job: the shared reader loads the file, the
/// spec's pipeline (missing-value replacement, min–max scaling) and trainer fit, the held-out rows are scored. Reported
/// per run: load, fit + validation, total wall time, process CPU time over wall time and cores, validation AUC, peak RSS.
/// </summary>
internal static class TrainScenario
{
    public const int Features = 28;
    private static readonly string[] Trainers = [TrainerCatalog.LightGbm, TrainerCatalog.FastTree, TrainerCatalog.SdcaLogistic];

    /// <param name="keep">A CSV path to reuse when it exists, or to write and keep; null writes a temporary one.</param>
    public static async Task RunAsync(int trainRows, int repeats, string? keep)
    {
        var directory = Directory.CreateTempSubdirectory("cp-train-bench").FullName;
        try
        {
            var csv = keep ?? Path.Combine(directory, "higgs-like.csv");
            var rows = (int)Math.Round(trainRows / 0.8);
            var sw = Stopwatch.StartNew();
            if (!File.Exists(csv))
                await WriteCsvAsync(csv, rows);
            Console.WriteLine($"{rows:N0} × {Features} + label in {sw.Elapsed.TotalSeconds:F1} s: CSV {new FileInfo(csv).Length / 1e6:F0} MB; " +
                $"{Environment.ProcessorCount} cores");
            Console.WriteLine("| run | trainer | load s | fit + validate s | total s | CPU time / wall | CPU utilization (of all cores) | validation AUC | peak RSS MiB | s per phase |");
            Console.WriteLine("|---|---|---:|---:|---:|---:|---:|---:|---:|---|");
            for (var i = 1; i <= repeats; i++)
                foreach (var trainer in Trainers)
                {
                    var r = (await SelfProcess.RunAsync("train-run", trainer, csv)).Split(' ');
                    Console.WriteLine(r.Length < 8 ? $"| #{i} | {trainer} | {string.Join(' ', r)} |"
                        : $"| #{i} | {trainer} | {r[0]} | {r[1]} | {r[2]} | {r[3]} | {r[4]} | {r[5]} | {r[6]} | {r[7]} |");
                }
        }
        finally
        {
            Directory.Delete(directory, recursive: true);
        }
    }

    /// <summary>The measured work, in a child process: prints "load fit total cpuPerWall utilization auc peakMiB".</summary>
    public static async Task MeasureAsync(string trainer, string csv, IReadOnlyDictionary<string, double>? overrides = null)
    {
        var schema = (await DatasetScanner.ScanAsync(csv)).Columns
            .Select(c => new DatasetColumn(c.Ordinal, c.Name, c.InferredType, c.InferredType, ColumnRole.Feature, c.MissingCount)).ToList();
        var hyperparameters = trainer == TrainerCatalog.LightGbm ? new Dictionary<string, double> { ["numberOfIterations"] = 100 }
            : trainer == TrainerCatalog.FastTree ? new Dictionary<string, double> { ["numberOfTrees"] = 100 } : [];
        foreach (var (name, value) in overrides ?? new Dictionary<string, double>())
            hyperparameters[name] = value;
        var definition = TrainingRules.Validate(new TrainingDefinitionInput(TrainingTask.Binary, "label",
            [.. Enumerable.Range(1, Features).Select(i => new TrainingFeature($"f{i}", FeatureTreatment.Numerical))], trainer, hyperparameters, 0.2, null, 1), schema, "bench");
        using var process = Process.GetCurrentProcess();
        var cpu = process.TotalProcessorTime;
        var sw = Stopwatch.StartNew();
        var phases = new Phases(sw);
        var model = await MlNetTrainer.TrainAsync(new TrainingInput(csv, DatasetFormat.Csv, schema, definition), phases, CancellationToken.None);
        var wall = sw.Elapsed;
        phases.Report(new("end", 1));
        process.Refresh();
        var perWall = (process.TotalProcessorTime - cpu) / wall;
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"{model.Loading.TotalSeconds:F1} {model.Training.TotalSeconds:F1} {wall.TotalSeconds:F1} {perWall:F2} {100 * perWall / Environment.ProcessorCount:F0}% {model.Metrics["rocAuc"]:F4} {SelfProcess.PeakMiB()} {phases}"));
    }

    /// <summary>Seconds spent in each phase the trainer reports (featurizing, fitting, validating), as "phase=s,…".</summary>
    private sealed class Phases(Stopwatch clock) : IProgress<TrainingProgress>
    {
        private readonly List<(string Phase, TimeSpan At)> _marks = [];

        public void Report(TrainingProgress value)
        {
            lock (_marks)
                if (_marks.Count == 0 || _marks[^1].Phase != value.Phase)
                    _marks.Add((value.Phase, clock.Elapsed));
        }

        public override string ToString()
        {
            lock (_marks)
                return string.Join(',', _marks.Zip(_marks.Skip(1), (a, b) => string.Create(CultureInfo.InvariantCulture, $"{a.Phase}={(b.At - a.At).TotalSeconds:F1}")));
        }
    }

    /// <summary>Features like HIGGS's (a mix of scales), the label from a logistic rule on six of them; about 1 % of one feature missing.</summary>
    private static async Task WriteCsvAsync(string path, int rows)
    {
        var random = new Random(2026);
        await using var writer = new StreamWriter(path, false, new UTF8Encoding(false), 1 << 20);
        await writer.WriteLineAsync(string.Join(',', Enumerable.Range(1, Features).Select(c => $"f{c}")) + ",label");
        var line = new StringBuilder();
        var x = new double[Features];
        for (var r = 0; r < rows; r++)
        {
            line.Clear();
            for (var c = 0; c < Features; c++)
                x[c] = (c % 3) switch { 0 => random.NextDouble() * 4 - 2, 1 => Math.Exp(random.NextDouble() * 2) - 1, _ => random.NextDouble() + random.NextDouble() - 1 };
            var logit = 1.2 * x[0] - 0.8 * x[1] + 2 * x[2] * x[5] + 0.5 * Math.Sin(3 * x[3]) - 0.3 * x[4] * x[4] + 0.4;
            var label = random.NextDouble() < 1 / (1 + Math.Exp(-logit));
            for (var c = 0; c < Features; c++)
            {
                if (c > 0)
                    line.Append(',');
                if (c != 7 || random.NextDouble() >= 0.01)
                    line.Append(x[c].ToString("0.######", CultureInfo.InvariantCulture));
            }
            line.Append(label ? ",1" : ",0");
            await writer.WriteLineAsync(line);
        }
    }
}
