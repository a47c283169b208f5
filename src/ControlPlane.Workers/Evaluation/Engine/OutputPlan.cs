using Microsoft.ML.OnnxRuntime;
using Microsoft.ML.OnnxRuntime.Tensors;

namespace ControlPlane.Workers.Evaluation.Engine;

/// <summary>
/// Which outputs carry the predictions, and what they mean. Chosen outputs (<see cref="EvaluationInput"/>'s
/// ProbabilityOutput, LabelOutput, ValueOutput) are used as named; a chosen value rules out detected probabilities.
/// Otherwise, ignoring outputs that echo an input
/// (ML.NET exports "X.output" for each input X):
/// <list type="bullet">
/// <item>probabilities: a sequence of maps (scikit-learn's ZipMap), or a float/double tensor named like "prob";</item>
/// <item>labels: an int64, int32, bool or string tensor named like "label" (one named like "predict" wins a tie);</item>
/// <item>without probabilities, a value: the one float/double tensor, else the one shaped [N] or [N, 1]. A value shaped
/// [N, C &gt; 1] is taken as probabilities; a [N] or [N, 1] value beside a label output is a binary raw score;
/// alone it is a regression value.</item>
/// </list>
/// Class labels come from the model's classlabels attributes, else from a bool label output (false, true), else they
/// are the indices 0..C-1 (with a warning); a single probability column means two classes, the column being class 1.
/// </summary>
internal sealed record OutputPlan(
    PredictionKind Kind,
    string? Probabilities,
    bool ProbabilitiesAreMaps,
    string? Label,
    string? Value,
    ClassLabels? Classes,
    IReadOnlyList<string> Warnings)
{
    public string[] OutputNames => [.. new[] { Probabilities, Label, Value }.OfType<string>()];

    public bool HasProbabilities => Probabilities is not null;

    public static OutputPlan Detect(IReadOnlyDictionary<string, NodeMetadata> outputs, IReadOnlyCollection<string> inputs, EvaluationInput input, ClassLabels? modelClasses)
    {
        var candidates = outputs.Where(o => !Echoes(o.Key, inputs)).ToList();
        string? probabilities = null;
        if (input.ProbabilityOutput is { } p)
            probabilities = Chosen(outputs, p, IsProbability, "a probability tensor or a sequence of maps");
        else if (input.ValueOutput is null)
            probabilities = Single(candidates.Where(o => IsMap(o.Value) || (IsReal(o.Value) && Stem(o.Key).Contains("prob"))), "probability", "ProbabilityOutput");
        var label = input.LabelOutput is { } l ? Chosen(outputs, l, IsLabel, "an int64, int32, bool or string tensor")
            : Single(candidates.Where(o => IsLabel(o.Value) && Stem(o.Key).Contains("label")), "label", "LabelOutput", prefer: "predict");
        string? value = null;
        if (probabilities is null)
        {
            value = input.ValueOutput is { } v ? Chosen(outputs, v, IsReal, "a float or double tensor") : DetectValue(candidates.Where(o => o.Key != label).ToList());
            if (value is not null && Columns(outputs[value]) > 1)
                (probabilities, value) = (value, null);
        }
        if (probabilities is null && value is null && label is null)
            throw new EvaluationInputException($"None of the model's outputs ({string.Join(", ", outputs.Keys)}) looks like probabilities, labels or values; name the one to use.");

        var warnings = new List<string>();
        if (probabilities is null && label is null)
            return new OutputPlan(PredictionKind.Regression, null, false, null, value, null, warnings);
        var classes = ClassesOf(outputs, probabilities, label, rawScore: value is not null, modelClasses, warnings);
        if (value is not null && classes.Count != 2)
            throw new EvaluationInputException($"Output '{value}' gives one score per row, which only a binary model can be scored on, but the model has {classes.Count} classes ({classes}).");
        return new OutputPlan(PredictionKind.Classification, probabilities, probabilities is not null && IsMap(outputs[probabilities]), label, value, classes, warnings);
    }

    private static ClassLabels ClassesOf(IReadOnlyDictionary<string, NodeMetadata> outputs, string? probabilities, string? label, bool rawScore,
        ClassLabels? modelClasses, List<string> warnings)
    {
        var width = probabilities is null || IsMap(outputs[probabilities]) ? -1 : Columns(outputs[probabilities]);
        // One probability column is the positive class of two; a raw score likewise.
        long? count = width > 0 ? Math.Max(width, 2) : rawScore ? 2 : null;
        if (modelClasses is not null)
        {
            if (count is { } expected && expected != modelClasses.Count)
                throw new EvaluationInputException($"Output '{probabilities}' has {width} probability columns but the model names {modelClasses.Count} classes ({modelClasses}).");
            return modelClasses;
        }
        if (label is not null && outputs[label].ElementDataType == TensorElementType.Bool)
            return ClassLabels.Int64([0, 1]);
        if (count is not { } known || known < 2)
            throw new EvaluationInputException("The model does not name its classes and its outputs do not tell how many there are; choose a probability output with a fixed number of columns.");
        warnings.Add($"The model does not name its classes; dataset labels are matched to the class indices 0..{known - 1}.");
        return ClassLabels.Indices((int)known);
    }

    private static string? DetectValue(List<KeyValuePair<string, NodeMetadata>> candidates)
    {
        var reals = candidates.Where(o => IsReal(o.Value)).ToList();
        if (reals.Count == 1)
            return reals[0].Key;
        var perRow = reals.Where(o => Columns(o.Value) == 1).ToList();
        if (perRow.Count == 1)
            return perRow[0].Key;
        if (perRow.Count > 1)
            throw new EvaluationInputException($"Several outputs could be the prediction ({string.Join(", ", perRow.Select(o => o.Key))}); choose one as ValueOutput.");
        return null;
    }

    private static string? Single(IEnumerable<KeyValuePair<string, NodeMetadata>> matches, string what, string option, string? prefer = null)
    {
        var list = matches.Select(m => m.Key).ToList();
        if (list.Count > 1 && prefer is not null && list.Count(n => Stem(n).Contains(prefer)) == 1)
            return list.Single(n => Stem(n).Contains(prefer));
        return list.Count switch
        {
            0 => null,
            1 => list[0],
            _ => throw new EvaluationInputException($"Several outputs look like {what}s ({string.Join(", ", list)}); choose one as {option}."),
        };
    }

    private static string Chosen(IReadOnlyDictionary<string, NodeMetadata> outputs, string name, Func<NodeMetadata, bool> fits, string expected)
    {
        if (!outputs.TryGetValue(name, out var meta))
            throw new EvaluationInputException($"The model has no output '{name}'; its outputs are {string.Join(", ", outputs.Keys)}.");
        if (!fits(meta))
            throw new EvaluationInputException($"Output '{name}' is not {expected}.");
        return name;
    }

    private static bool Echoes(string output, IReadOnlyCollection<string> inputs) =>
        inputs.Any(i => output == i || output == i + ".output");

    /// <summary>The lower-case name without ML.NET's ".output" suffix.</summary>
    private static string Stem(string name) => (name.EndsWith(".output", StringComparison.Ordinal) ? name[..^7] : name).ToLowerInvariant();

    private static bool IsProbability(NodeMetadata meta) => IsMap(meta) || IsReal(meta);

    private static bool IsMap(NodeMetadata meta) =>
        meta.OnnxValueType == OnnxValueType.ONNX_TYPE_SEQUENCE && meta.AsSequenceMetadata().ElementMeta.OnnxValueType == OnnxValueType.ONNX_TYPE_MAP;

    private static bool IsReal(NodeMetadata meta) =>
        meta.IsTensor && meta.ElementDataType is TensorElementType.Float or TensorElementType.Double && meta.Dimensions.Length is 1 or 2;

    private static bool IsLabel(NodeMetadata meta) =>
        meta.IsTensor && meta.ElementDataType is TensorElementType.Int64 or TensorElementType.Int32 or TensorElementType.Bool or TensorElementType.String
        && meta.Dimensions.Length is 1 or 2;

    /// <summary>Values per row: 1 for [N] or [N, 1], C for [N, C], -1 when the second dimension is dynamic.</summary>
    private static long Columns(NodeMetadata meta) => meta.Dimensions.Length == 1 ? 1 : meta.Dimensions[1];
}
