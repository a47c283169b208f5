using ControlPlane.Workers.Drift.Statistics;

namespace ControlPlane.Workers.Production;

/// <summary>What DuckDB aggregates over every (deduplicated, filtered) prediction of a window.</summary>
public sealed record WindowAggregates(
    long Predictions,
    long Errors,
    long LatencyCount,
    double? LatencyMean,
    double? LatencyP50,
    double? LatencyP95,
    double? LatencyP99,
    long Labelled,
    long Scored,
    long Valued,
    long Labels,
    CbpeSums Cbpe,
    IReadOnlyDictionary<string, long> Missing);

/// <summary>The sums CBPE needs, over rows with a score: predicted positive when score ≥ threshold.</summary>
/// <param name="PositiveScoreSum">Σ p over predicted positives (expected true positives).</param>
/// <param name="PositiveVariance">Σ p(1−p) over predicted positives.</param>
/// <param name="NegativeScoreSum">Σ p over predicted negatives (expected false negatives).</param>
/// <param name="NegativeVariance">Σ p(1−p) over predicted negatives.</param>
public sealed record CbpeSums(long Rows, long PredictedPositive, double PositiveScoreSum, double PositiveVariance, double NegativeScoreSum, double NegativeVariance);

/// <summary>A feature column of the telemetry: DOUBLE columns are numerical, the others categorical.</summary>
public sealed record TelemetryFeature(string Name, bool Numerical);

/// <summary>The model's output in a window, as the drift engine compares it: numbers (score or value) or labels.</summary>
public sealed record OutputSample(string Column, double[]? Numbers, string?[]? Labels);

/// <summary>Feature and output values of a window's rows (all of them, or a deterministic sample).</summary>
public sealed record WindowSample(
    IReadOnlyList<TelemetryFeature> Features,
    IReadOnlyDictionary<string, double[]> Numbers,
    IReadOnlyDictionary<string, string?[]> Texts,
    OutputSample? Output,
    bool Sampled,
    int Rows)
{
    private readonly Dictionary<string, DriftColumnInput> _inputs = new(StringComparer.Ordinal);
    private DriftColumnInput? _output;

    /// <summary>
    /// A feature's values as one drift engine input, kept: an input sorts (or counts) its values once, so the window's
    /// comparison with the reference, with the previous window and, next, the following window's with it share one sort.
    /// The engine compares by the reference side's name, so the input carries the feature's.
    /// </summary>
    public DriftColumnInput InputOf(TelemetryFeature feature)
    {
        if (!_inputs.TryGetValue(feature.Name, out var input))
            _inputs[feature.Name] = input = feature.Numerical
                ? DriftColumnInput.Numerical(feature.Name, (double[])Numbers[feature.Name].Clone()) // a copy: the engine sorts it in place
                : DriftColumnInput.Categorical(feature.Name, Texts[feature.Name]);
        return input;
    }

    /// <summary>The output as one kept drift engine input (see <see cref="InputOf"/>); null without an output.</summary>
    public DriftColumnInput? OutputInput() => _output ??= Output switch
    {
        null => null,
        { Numbers: { } numbers } => DriftColumnInput.Numerical(Output.Column, (double[])numbers.Clone()),
        { Labels: { } labels } => DriftColumnInput.Categorical(Output.Column, labels),
        _ => null,
    };
}

/// <summary>A prediction whose actual arrived.</summary>
public sealed record LabelledRow(double? Score, string? Label, double? Value, string Actual, double? ActualValue);
