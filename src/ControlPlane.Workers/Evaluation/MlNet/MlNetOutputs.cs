using ControlPlane.Workers.Evaluation.Engine;
using Microsoft.ML;
using Microsoft.ML.Data;

namespace ControlPlane.Workers.Evaluation.MlNet;

/// <summary>
/// What an ML.NET model predicts, read from its output schema by ML.NET's standard column names: a binary classifier
/// scores into PredictedLabel (Boolean), Score and, when calibrated, Probability; a multiclass classifier into a Score
/// vector whose slot names are the classes; a regression into a Score alone.
/// </summary>
internal sealed record MlNetOutputs(PredictionKind Kind, ClassLabels? Classes, bool ScoreIsVector, bool HasProbability, IReadOnlyList<string> Warnings)
{
    public const string Score = "Score";
    public const string Probability = "Probability";
    public const string PredictedLabel = "PredictedLabel";

    public static MlNetOutputs Detect(DataViewSchema output)
    {
        var score = output.GetColumnOrNull(Score) ?? throw Unsupported(output, "it has no Score column");
        if (ScoreKind(score) is { } kind && kind is not ("BinaryClassification" or "MulticlassClassification" or "Regression"))
            throw Unsupported(output, $"it is a {kind} model");
        var predicted = output.GetColumnOrNull(PredictedLabel);
        if (score.Type is VectorDataViewType { ItemType: var item, Size: >= 2 } vector && item == NumberDataViewType.Single)
        {
            var names = SlotNames(score);
            return names is null
                ? new(PredictionKind.Classification, ClassLabels.Indices(vector.Size), true, false,
                    [$"The model does not name its classes; dataset labels are matched to the class indices 0..{vector.Size - 1}."])
                : new(PredictionKind.Classification, ClassLabels.Strings(names), true, false, []);
        }
        if (score.Type != NumberDataViewType.Single)
            throw Unsupported(output, $"its Score column is {score.Type}");
        if (predicted is null)
            return new(PredictionKind.Regression, null, false, false, []);
        if (predicted.Value.Type != BooleanDataViewType.Instance)
            throw Unsupported(output, $"its PredictedLabel column is {predicted.Value.Type} beside a single Score");
        var probability = output.GetColumnOrNull(Probability) is { Type: var type } && type == NumberDataViewType.Single;
        return new(PredictionKind.Classification, ClassLabels.Int64([0, 1]), false, probability, []);
    }

    /// <summary>
    /// The input for the ONNX engine on the model's export, with the outputs named: an export also carries every
    /// intermediate column ("Features.output"…), which detection could take for predictions.
    /// </summary>
    public EvaluationInput ForOnnxExport(EvaluationInput input, string exportPath)
    {
        var onnx = input with { ModelPath = exportPath, Classes = Classes };
        if (Kind == PredictionKind.Regression)
            return onnx with { ValueOutput = Output(Score) };
        if (ScoreIsVector)
            return onnx with { ProbabilityOutput = Output(Score) };
        return HasProbability
            ? onnx with { ProbabilityOutput = Output(Probability), LabelOutput = Output(PredictedLabel) }
            : onnx with { ValueOutput = Output(Score), LabelOutput = Output(PredictedLabel) };
    }

    /// <summary>ML.NET names the export's output for column X "X.output".</summary>
    private static string Output(string column) => column + ".output";

    /// <summary>The task ML.NET's scorer wrote on the Score column; absent when a pipeline made its own Score.</summary>
    private static string? ScoreKind(DataViewSchema.Column score)
    {
        if (score.Annotations.Schema.GetColumnOrNull("ScoreColumnKind") is not { Type: TextDataViewType })
            return null;
        var kind = default(ReadOnlyMemory<char>);
        score.Annotations.GetValue("ScoreColumnKind", ref kind);
        return kind.ToString();
    }

    private static List<string>? SlotNames(DataViewSchema.Column score)
    {
        if (!score.HasSlotNames())
            return null;
        var names = default(VBuffer<ReadOnlyMemory<char>>);
        score.GetSlotNames(ref names);
        return [.. names.DenseValues().Select(n => n.ToString())];
    }

    private static EvaluationInputException Unsupported(DataViewSchema output, string why) => new(
        $"The ML.NET model cannot be evaluated: {why}. Evaluation scores binary classifiers (PredictedLabel, Score, Probability), " +
        $"multiclass classifiers (a Score vector) and regressions (Score); its outputs are {string.Join(", ", output.Where(c => !c.IsHidden).Select(c => c.Name))}.");
}
