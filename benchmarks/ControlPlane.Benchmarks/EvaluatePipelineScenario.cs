using System.Diagnostics;
using System.Globalization;
using System.Text;
using ControlPlane.Domain.Datasets;
using ControlPlane.Domain.Datasets.Reading;
using ControlPlane.Domain.Evaluations;
using ControlPlane.TestModels;
using ControlPlane.Workers.Evaluation.Engine;
using Microsoft.ML.OnnxRuntime;

namespace ControlPlane.Benchmarks;

/// <summary>
/// What the evaluation pipeline (CSV parsing and packing overlapped with inference, then output decoding) costs over
/// bare inference: <see cref="OnnxEvaluator"/> on a generated CSV with a sink that does nothing, against a loop of
/// <c>InferenceSession.Run</c> over the same rows packed into batches beforehand, with the session options the
/// evaluator uses. Two models: an MLP heavy enough for inference to dominate (features → 512 → 512 → 2) and a
/// one-layer softmax, where the pipeline's own cost shows. Also the bytes allocated per batch in steady state
/// (process-wide, reading thread included, between batches 50 and 150).
/// </summary>
internal static class EvaluatePipelineScenario
{
    private const int BatchSize = 1024;
    private const int FirstCounted = 50;
    private const int LastCounted = 150;

    public static async Task RunAsync(int rows, int features, int repeats)
    {
        var directory = Directory.CreateTempSubdirectory("cp-eval-bench").FullName;
        try
        {
            var csv = Path.Combine(directory, "data.csv");
            await WriteCsvAsync(csv, rows, features);
            var scan = await DatasetScanner.ScanAsync(csv);
            IReadOnlyList<DatasetColumn> schema = [.. scan.Columns.Select(c => new DatasetColumn(c.Ordinal, c.Name, c.InferredType, c.InferredType,
                c.Name == "y" ? ColumnRole.Label : ColumnRole.Feature, c.MissingCount))];
            var batches = await ReadBatchesAsync(csv, features);
            var random = new Random(5);
            var models = new (string Name, byte[] Bytes)[]
            {
                ($"MLP {features}→512→512→2", HandBuiltOnnx.Mlp(HandBuiltOnnx.RandomLayers([features, 512, 512, 2]))),
                ($"softmax {features}→2", HandBuiltOnnx.SoftmaxClassifier(
                    [.. Enumerable.Range(0, features).Select(_ => new[] { (float)random.NextDouble() - 0.5f, (float)random.NextDouble() - 0.5f })], [0f, 0f])),
            };
            Console.WriteLine(Invariant($"{rows:N0} rows × {features} features, batches of {BatchSize}; CSV {new FileInfo(csv).Length / 1e6:F0} MB"));
            Console.WriteLine();
            Console.WriteLine("| model | run | pipeline rows/s | bare Run rows/s | pipeline ÷ bare | pipeline bytes/batch | bare bytes/batch |");
            Console.WriteLine("|---|---|---|---|---|---|---|");
            foreach (var (name, bytes) in models)
            {
                var model = Path.Combine(directory, "model.onnx");
                await File.WriteAllBytesAsync(model, bytes);
                for (var i = 1; i <= repeats; i++)
                {
                    var (pipelineRate, pipelineBytes) = await PipelineAsync(model, csv, schema);
                    var (bareRate, bareBytes) = Bare(model, batches, features);
                    Console.WriteLine(Invariant(
                        $"| {name} | {i} | {pipelineRate:N0} | {bareRate:N0} | {pipelineRate / bareRate:F2} | {Bytes(pipelineBytes)} | {Bytes(bareBytes)} |"));
                }
            }
        }
        finally
        {
            Directory.Delete(directory, recursive: true);
        }
    }

    private static async Task<(double RowsPerSecond, long? BytesPerBatch)> PipelineAsync(string model, string csv, IReadOnlyList<DatasetColumn> schema)
    {
        var input = new EvaluationInput(model, csv, DatasetFormat.Csv, schema, "y") { Device = EvaluationDevice.Cpu, BatchSize = BatchSize };
        var sink = new AllocationSink();
        var info = await new OnnxEvaluator().RunAsync(input, sink, null, CancellationToken.None);
        return (info.RowsPerSecond, sink.BytesPerBatch);
    }

    private static (double RowsPerSecond, long? BytesPerBatch) Bare(string model, List<float[]> batches, int features)
    {
        // As SessionFactory opens an evaluation session on the CPU.
        using var options = new SessionOptions { LogSeverityLevel = OrtLoggingLevel.ORT_LOGGING_LEVEL_ERROR };
        options.AddSessionConfigEntry("session.intra_op.allow_spinning", "0");
        using var session = new InferenceSession(model, options);
        string[] inputNames = [session.InputNames[0]];
        var outputNames = session.OutputNames.ToArray();
        var inputs = batches.Select(b => new[] { OrtValue.CreateTensorValueFromMemory(b, [b.Length / features, features]) }).ToArray();
        using var runOptions = new RunOptions();
        try
        {
            long rows = 0, first = 0, last = 0;
            var sw = Stopwatch.StartNew();
            for (var i = 0; i < inputs.Length; i++)
            {
                if (i == FirstCounted)
                    first = GC.GetTotalAllocatedBytes(precise: true);
                if (i == LastCounted)
                    last = GC.GetTotalAllocatedBytes(precise: true);
                using var results = session.Run(runOptions, inputNames, inputs[i], outputNames);
                rows += batches[i].Length / features;
            }
            var seconds = sw.Elapsed.TotalSeconds;
            return (rows / seconds, inputs.Length > LastCounted ? (last - first) / (LastCounted - FirstCounted) : null);
        }
        finally
        {
            foreach (var input in inputs)
                input[0].Dispose();
        }
    }

    /// <summary>Does nothing with predictions; notes the process's allocated bytes at two batches.</summary>
    private sealed class AllocationSink : IPredictionSink
    {
        private int _batches;
        private long _first;
        private long _last;

        public long? BytesPerBatch => _batches > LastCounted ? (_last - _first) / (LastCounted - FirstCounted) : null;

        public void OnBatch(PredictionBatch batch)
        {
            if (_batches == FirstCounted)
                _first = GC.GetTotalAllocatedBytes(precise: true);
            if (_batches == LastCounted)
                _last = GC.GetTotalAllocatedBytes(precise: true);
            _batches++;
        }
    }

    /// <summary>The file's feature columns packed row-major in batches, as the evaluator packs them.</summary>
    private static async Task<List<float[]>> ReadBatchesAsync(string csv, int features)
    {
        using var reader = await TabularReader.OpenAsync(csv, DatasetFormat.Csv);
        var batch = new TabularBatch([.. Enumerable.Range(0, features).Select(c => new ColumnRequest(c, ColumnReadAs.Number))], BatchSize);
        List<float[]> batches = [];
        while (await reader.ReadAsync(batch))
        {
            var packed = new float[batch.Count * features];
            for (var c = 0; c < features; c++)
            {
                var values = batch.Numbers(c);
                for (var r = 0; r < batch.Count; r++)
                    packed[r * features + c] = (float)values[r];
            }
            batches.Add(packed);
        }
        return batches;
    }

    internal static async Task WriteCsvAsync(string path, int rows, int features)
    {
        var random = new Random(42);
        await using var writer = new StreamWriter(path, false, new UTF8Encoding(false), 1 << 20);
        await writer.WriteLineAsync(string.Join(',', Enumerable.Range(0, features).Select(c => $"f{c}")) + ",y");
        var line = new StringBuilder();
        for (var r = 0; r < rows; r++)
        {
            line.Clear();
            for (var c = 0; c < features; c++)
                line.Append(Math.Round(random.NextDouble() * 4 - 2, 3).ToString(CultureInfo.InvariantCulture)).Append(',');
            line.Append(random.Next(2));
            await writer.WriteLineAsync(line);
        }
    }

    private static string Bytes(long? bytes) => bytes is { } b ? b.ToString("N0", CultureInfo.InvariantCulture) : "n/a (needs > 150 batches)";

    private static string Invariant(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);
}
