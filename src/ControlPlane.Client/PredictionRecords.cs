namespace ControlPlane.Client;

/// <summary>Turns one row of a model's tensors into the ingest record: features by name, outputs reduced to label / probabilities / score / value.</summary>
internal static class PredictionRecords
{
    private static readonly string[] ProbabilityOutputs = ["probabilities", "probability", "output_probability"];

    public static PredictionRecord Row(string id, DateTimeOffset at, int version, string? alias, PredictionVariant variant, IReadOnlyList<string>? featureNames,
        float[]? features, ModelOutput[]? outputs, int row, double? latencyMs, string? error, IReadOnlyList<string>? classNames,
        IReadOnlyDictionary<string, string>? tags)
    {
        string? label = null;
        float[]? probabilities = null;
        double? value = null;
        if (outputs is not null)
        {
            foreach (var o in outputs)
            {
                if (o.Name == "label" && o.Values.Length > row)
                    label = o.Values switch
                    {
                        long[] l => ClassName(l[row], classNames),
                        int[] i => ClassName(i[row], classNames),
                        string[] s => s[row],
                        _ => null,
                    };
                else if (Array.IndexOf(ProbabilityOutputs, o.Name) >= 0 && o.Values is float[] p && o.Shape is [_, var classes])
                    probabilities = p.AsSpan(row * (int)classes, (int)classes).ToArray();
            }
            if (label is null && probabilities is null)
                value = Regression(outputs, row);
        }
        return new PredictionRecord
        {
            PredictionId = id, Timestamp = at, Version = version, Alias = alias, Variant = variant,
            FeatureNames = features is null ? null : featureNames, FeatureValues = features,
            Label = label, Probabilities = probabilities, ClassNames = classNames,
            Score = probabilities is { Length: 2 } ? probabilities[1] : null,
            Value = value, LatencyMs = latencyMs, Error = error, Tags = tags,
        };
    }

    private static string ClassName(long index, IReadOnlyList<string>? classNames) =>
        classNames is not null && index >= 0 && index < classNames.Count ? classNames[(int)index] : ClassKeys.Of((int)index);

    /// <summary>The first float output with one value per row ([N] or [N, 1]).</summary>
    private static double? Regression(ModelOutput[] outputs, int row)
    {
        foreach (var o in outputs)
        {
            if (o.Values is float[] v && (o.Shape is [_] || o.Shape is [_, 1]) && v.Length > row)
                return v[row];
        }
        return null;
    }
}
