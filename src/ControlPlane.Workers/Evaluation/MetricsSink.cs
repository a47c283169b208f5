using ControlPlane.Domain.Evaluations;
using ControlPlane.Workers.Evaluation.Engine;
using ControlPlane.Workers.Evaluation.Metrics;

namespace ControlPlane.Workers.Evaluation;

/// <summary>
/// Feeds predictions into the accumulator of the task, decided on the first batch from what the model produced
/// (regression values, two classes, more) and checked against the task the user asked for.
/// </summary>
internal sealed class MetricsSink(EvaluationTask? requested, double threshold) : IPredictionSink
{
    private BinaryAccumulator? _binary;
    private MulticlassAccumulator? _multiclass;
    private RegressionAccumulator? _regression;
    private byte[] _labels = [];
    private bool _slices;

    public EvaluationTask? Task { get; private set; }

    public void OnBatch(PredictionBatch batch)
    {
        Task ??= Decide(batch);
        var slices = batch.Slices;
        _slices |= !slices.IsEmpty;
        switch (Task)
        {
            case EvaluationTask.Binary:
                if (_labels.Length < batch.Count)
                    _labels = new byte[batch.Count];
                var classes = batch.TrueClasses;
                for (var i = 0; i < batch.Count; i++)
                    _labels[i] = (byte)classes[i];
                _binary!.Add(_labels.AsSpan(0, batch.Count), batch.PositiveScores, slices);
                break;
            case EvaluationTask.Multiclass:
                _multiclass!.Add(batch.TrueClasses, batch.Probabilities, slices);
                break;
            default:
                _regression!.Add(batch.TrueValues, batch.PredictedValues, slices);
                break;
        }
    }

    public (IMetricReport Report, IReadOnlyList<SliceSummary> Slices, BinaryReport? Binary, MulticlassReport? Multiclass, RegressionReport? Regression) Build()
    {
        if (_binary is not null)
        {
            var report = _binary.Build();
            return (report, _slices ? Summaries(_binary.BuildSlices()) : [], report, null, null);
        }
        if (_multiclass is not null)
        {
            var report = _multiclass.Build();
            return (report, _slices ? Summaries(_multiclass.BuildSlices()) : [], null, report, null);
        }
        if (_regression is not null)
        {
            var report = _regression.Build();
            return (report, _slices ? Summaries(_regression.BuildSlices()) : [], null, null, report);
        }
        throw new EvaluationInputException("The dataset has no rows to evaluate.");
    }

    private EvaluationTask Decide(PredictionBatch batch)
    {
        var detected = batch.Kind == PredictionKind.Regression ? EvaluationTask.Regression
            : batch.Classes!.Count == 2 ? EvaluationTask.Binary : EvaluationTask.Multiclass;
        var task = (requested, detected) switch
        {
            (null, _) => detected,
            (EvaluationTask.Multiclass, EvaluationTask.Binary) => EvaluationTask.Multiclass, // two classes scored as a multiclass problem
            var (asked, found) when asked == found => found,
            var (asked, found) => throw new EvaluationInputException(
                $"The run asked for a {asked} evaluation but the model produces {Describe(batch, found)}."),
        };
        switch (task)
        {
            case EvaluationTask.Binary:
                _binary = new BinaryAccumulator(threshold);
                break;
            case EvaluationTask.Multiclass:
                _multiclass = new MulticlassAccumulator(batch.Classes!.Names);
                break;
            default:
                _regression = new RegressionAccumulator();
                break;
        }
        return task;
    }

    private static string Describe(PredictionBatch batch, EvaluationTask found) => found switch
    {
        EvaluationTask.Regression => "one numeric value per row (regression)",
        _ => $"scores for {batch.Classes!.Count} classes ({string.Join(", ", batch.Classes.Names.Take(10))})",
    };

    private static IReadOnlyList<SliceSummary> Summaries<T>(IReadOnlyList<SliceReport<T>> slices) where T : IMetricReport =>
        slices.Select(s => new SliceSummary(s.Value, s.Count, s.Metrics.Flatten())).ToList();
}
