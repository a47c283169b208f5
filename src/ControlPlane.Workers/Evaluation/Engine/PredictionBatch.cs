namespace ControlPlane.Workers.Evaluation.Engine;

/// <summary>
/// The predictions for <see cref="Count"/> consecutive data rows starting at <see cref="FirstRow"/> (0-based).
/// Classification fills <see cref="TrueClasses"/> and <see cref="PredictedClasses"/> (indices into
/// <see cref="Classes"/>), <see cref="Probabilities"/> (Count × Classes.Count, row-major) when the model gives
/// probabilities, and for a binary model <see cref="PositiveScores"/> (the positive class's probability, or the
/// model's raw score when <see cref="ScoresAreProbabilities"/> is false). Regression fills <see cref="TrueValues"/>
/// and <see cref="PredictedValues"/>. Spans not listed for a kind are empty.
/// </summary>
public sealed class PredictionBatch
{
    private int[] _trueClasses = [];
    private double[] _trueValues = [];
    private string?[]? _slices;
    private readonly float[] _probabilities;
    private readonly float[] _positiveScores;
    private readonly int[] _predictedClasses;
    private readonly float[] _predictedValues;
    private readonly bool _hasProbabilities;

    internal PredictionBatch(PredictionKind kind, ClassLabels? classes, bool hasProbabilities, bool scoresAreProbabilities, int capacity)
    {
        Kind = kind;
        Classes = classes;
        _hasProbabilities = hasProbabilities;
        ScoresAreProbabilities = scoresAreProbabilities;
        var classCount = classes?.Count ?? 0;
        _probabilities = new float[hasProbabilities ? capacity * classCount : 0];
        _positiveScores = new float[classCount == 2 ? capacity : 0];
        _predictedClasses = new int[kind == PredictionKind.Classification ? capacity : 0];
        _predictedValues = new float[kind == PredictionKind.Regression ? capacity : 0];
    }

    public PredictionKind Kind { get; }
    public ClassLabels? Classes { get; }
    public bool ScoresAreProbabilities { get; }
    public long FirstRow { get; private set; }
    public int Count { get; private set; }

    public ReadOnlySpan<int> TrueClasses => Kind == PredictionKind.Classification ? _trueClasses.AsSpan(0, Count) : default;
    public ReadOnlySpan<double> TrueValues => Kind == PredictionKind.Regression ? _trueValues.AsSpan(0, Count) : default;
    public ReadOnlySpan<float> Probabilities => _hasProbabilities ? _probabilities.AsSpan(0, Count * Classes!.Count) : default;
    public ReadOnlySpan<float> PositiveScores => _positiveScores.AsSpan(0, _positiveScores.Length == 0 ? 0 : Count);
    public ReadOnlySpan<int> PredictedClasses => _predictedClasses.AsSpan(0, _predictedClasses.Length == 0 ? 0 : Count);
    public ReadOnlySpan<float> PredictedValues => _predictedValues.AsSpan(0, _predictedValues.Length == 0 ? 0 : Count);

    /// <summary>The slice column's values (null = missing), or empty when no slice column was asked for.</summary>
    public ReadOnlySpan<string?> Slices => _slices is null ? default : _slices.AsSpan(0, Count);

    /// <summary>Row <paramref name="row"/>'s class probabilities, in class order.</summary>
    public ReadOnlySpan<float> ProbabilitiesOf(int row) => Probabilities.Slice(row * Classes!.Count, Classes.Count);

    internal Span<float> ProbabilityBuffer => _probabilities;
    internal Span<float> PositiveScoreBuffer => _positiveScores;
    internal Span<int> PredictedClassBuffer => _predictedClasses;
    internal Span<float> PredictedValueBuffer => _predictedValues;

    /// <summary>Points the batch at the next rows; the true-label and slice arrays belong to the pipeline slot being decoded.</summary>
    internal void Start(long firstRow, int count, int[] trueClasses, double[] trueValues, string?[]? slices)
    {
        (FirstRow, Count) = (firstRow, count);
        (_trueClasses, _trueValues, _slices) = (trueClasses, trueValues, slices);
    }
}
