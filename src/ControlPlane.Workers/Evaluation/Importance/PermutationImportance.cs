using ControlPlane.Domain.Datasets.Reading;
using ControlPlane.Workers.Evaluation.Engine;
using Microsoft.ML.OnnxRuntime;

namespace ControlPlane.Workers.Evaluation.Importance;

/// <summary>
/// Permutation feature importance on the evaluation's own ONNX Runtime session, batches and label matching: a seeded
/// row sample (<see cref="RowSample"/>) is scored once as it is, then once per feature and repeat with that feature's
/// column shuffled. Each repeat draws one Fisher–Yates permutation from the seeded generator and applies it to every
/// feature, so within a repeat the features are compared on the same shuffle.
/// </summary>
internal sealed class PermutationImportance(
    ImportanceScoring scoring, InferenceSession session, InputPlan inputs, OutputPlan outputs, TrueLabels labels, BatchSlot[] slots)
{
    public async Task<ImportanceReport> ComputeAsync(EvaluationInput input, ColumnRequest[] requests, IProgress<double>? progress, CancellationToken ct)
    {
        var options = scoring.Options;
        var random = new Random(options.Seed);
        RowSample sample;
        IReadOnlyList<string> columnNames;
        using (var reader = await OnnxEvaluator.OpenAsync(input, ct))
        {
            columnNames = reader.ColumnNames;
            sample = await RowSample.DrawAsync(reader, requests, options.MaxRows, input.BatchSize, random, ct);
        }
        var features = Features();
        var identity = Enumerable.Range(0, sample.Count).ToArray();
        var (task, baseline) = await ScoreAsync(sample, new HashSet<int>(), identity, columnNames, ct);
        ImportanceReport Report(IReadOnlyList<FeatureImportance> figures, string? note) => new(
            task is { } t ? MainMetric.Name(t) : null, baseline, options.Repeats, options.Seed, sample.Count, sample.SeenRows, figures, note);
        if (baseline is not { } reference)
            return Report([], "The main metric is undefined on the sampled rows (only one class present), so no importance was measured.");

        var drops = features.ToDictionary(f => f.Name, _ => new List<double>(options.Repeats));
        var passes = options.Repeats * features.Count;
        var done = 0;
        for (var repeat = 0; repeat < options.Repeats; repeat++)
        {
            var permutation = Shuffle(sample.Count, random);
            foreach (var (name, columns) in features)
            {
                var (_, permuted) = await ScoreAsync(sample, columns, permutation, columnNames, ct);
                drops[name].Add(reference - (permuted ?? double.NaN));
                progress?.Report(++done / (double)passes);
            }
        }
        return Report([.. features.Select(f => FeatureImportance.From(f.Name, drops[f.Name])).OrderByDescending(f => f.Mean)], null);
    }

    /// <summary>Each input column once, in the model's input order, with the batch columns that feed it to the model.</summary>
    private List<(string Name, IReadOnlySet<int> Columns)> Features()
    {
        var order = new List<string>();
        var columns = new Dictionary<string, HashSet<int>>(StringComparer.Ordinal);
        foreach (var binding in inputs.Bindings)
            for (var c = 0; c < binding.Columns.Count; c++)
            {
                if (!columns.TryGetValue(binding.Columns[c], out var feeding))
                {
                    columns[binding.Columns[c]] = feeding = [];
                    order.Add(binding.Columns[c]);
                }
                feeding.Add(binding.Requests[c]);
            }
        return [.. order.Select(name => (name, (IReadOnlySet<int>)columns[name]))];
    }

    private async Task<(Domain.Evaluations.EvaluationTask? Task, double? Value)> ScoreAsync(
        RowSample sample, IReadOnlySet<int> permuted, int[] permutation, IReadOnlyList<string> columnNames, CancellationToken ct)
    {
        var sink = new MetricsSink(scoring.Task, scoring.Threshold);
        using var reader = new PermutedReader(sample, permuted, permutation, columnNames);
        await new EvaluationPipeline(session, reader, inputs, outputs, labels, null, slots).RunAsync(sink, null, ct);
        var (report, _, _, _, _) = sink.Build();
        return (sink.Task, MainMetric.Value(sink.Task!.Value, report.Flatten()));
    }

    /// <summary>Fisher–Yates (Durstenfeld) on 0..n-1.</summary>
    internal static int[] Shuffle(int n, Random random)
    {
        var order = Enumerable.Range(0, n).ToArray();
        for (var i = n - 1; i > 0; i--)
        {
            var j = random.Next(i + 1);
            (order[i], order[j]) = (order[j], order[i]);
        }
        return order;
    }
}
