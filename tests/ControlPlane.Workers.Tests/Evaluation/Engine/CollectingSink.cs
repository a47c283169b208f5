using ControlPlane.Workers.Evaluation.Engine;

namespace ControlPlane.Workers.Tests.Evaluation.Engine;

/// <summary>Copies every batch out (the engine reuses them), so tests can check all rows after the run.</summary>
internal sealed class CollectingSink(Action<PredictionBatch>? onBatch = null) : IPredictionSink
{
    public List<(long FirstRow, int Count)> Batches { get; } = [];
    public List<int> TrueClasses { get; } = [];
    public List<double> TrueValues { get; } = [];
    public List<float[]> Probabilities { get; } = [];
    public List<float> PositiveScores { get; } = [];
    public List<int> PredictedClasses { get; } = [];
    public List<float> PredictedValues { get; } = [];
    public List<string?> Slices { get; } = [];
    public ClassLabels? Classes { get; private set; }

    public void OnBatch(PredictionBatch batch)
    {
        Batches.Add((batch.FirstRow, batch.Count));
        Classes = batch.Classes;
        TrueClasses.AddRange(batch.TrueClasses);
        TrueValues.AddRange(batch.TrueValues);
        if (!batch.Probabilities.IsEmpty)
            for (var i = 0; i < batch.Count; i++)
                Probabilities.Add(batch.ProbabilitiesOf(i).ToArray());
        PositiveScores.AddRange(batch.PositiveScores);
        PredictedClasses.AddRange(batch.PredictedClasses);
        PredictedValues.AddRange(batch.PredictedValues);
        Slices.AddRange(batch.Slices);
        onBatch?.Invoke(batch);
    }
}
