using ControlPlane.Domain.Training;
using ControlPlane.Workers.Training;
using Microsoft.ML;
using Microsoft.ML.Data;

namespace ControlPlane.Workers.Tests.Training;

/// <summary>A trained model's predictions on a file, read straight from ML.NET, with the file's true labels.</summary>
internal sealed record Scored(float[] Scores, float[][] ScoreVectors, float[]? Probabilities, bool[] PredictedFlags, string[] PredictedClasses,
    bool[] TrueFlags, float[] TrueValues, string[] TrueClasses, TrainingTable Table)
{
    public static async Task<Scored> ScoreAsync(TrainedModel model, TrainingInput input)
    {
        var table = await TrainingTable.LoadAsync(input, null, CancellationToken.None);
        var output = model.Transformer.Transform(new TableDataView(table));
        var task = input.Definition.Task;
        var scores = task == TrainingTask.Multiclass ? [] : output.GetColumn<float>("Score").ToArray();
        var vectors = task == TrainingTask.Multiclass ? output.GetColumn<VBuffer<float>>("Score").Select(v => v.DenseValues().ToArray()).ToArray() : [];
        var probabilities = output.Schema.GetColumnOrNull("Probability") is null ? null : output.GetColumn<float>("Probability").ToArray();
        var flags = task == TrainingTask.Binary ? output.GetColumn<bool>("PredictedLabel").ToArray() : [];
        var classes = task == TrainingTask.Multiclass ? output.GetColumn<ReadOnlyMemory<char>>("PredictedLabel").Select(c => c.ToString()).ToArray() : [];
        return new Scored(scores, vectors, probabilities, flags, classes, [.. table.Label.Flags], [.. table.Label.Values], [.. table.Label.Classes], table);
    }

    public double BinaryAccuracy() => PredictedFlags.Zip(TrueFlags).Average(p => p.First == p.Second ? 1.0 : 0.0);

    public double MajorityRate() => Math.Max(TrueFlags.Average(f => f ? 1.0 : 0.0), TrueFlags.Average(f => f ? 0.0 : 1.0));

    public double MulticlassAccuracy() => PredictedClasses.Zip(TrueClasses).Average(p => p.First == p.Second ? 1.0 : 0.0);

    public double Rmse() => Math.Sqrt(Scores.Zip(TrueValues).Average(p => Math.Pow(p.First - p.Second, 2)));

    public double R2()
    {
        var mean = TrueValues.Average(v => (double)v);
        return 1 - Scores.Zip(TrueValues).Sum(p => Math.Pow(p.First - p.Second, 2)) / TrueValues.Sum(v => Math.Pow(v - mean, 2));
    }
}
