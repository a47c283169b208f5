using ControlPlane.Domain.Training;
using Microsoft.ML;
using Microsoft.ML.Data;
using Microsoft.ML.Transforms;

namespace ControlPlane.Workers.Training;

/// <summary>
/// The featurization of a spec: numerical columns are gathered into one vector, missing values replaced by the
/// training mean and scaled min–max; categorical columns one-hot encoded (an unseen category becomes all zeros);
/// text columns featurized (n-grams). Everything is concatenated into <see cref="Features"/> for the trainer.
/// </summary>
internal static class TrainingPipeline
{
    public const string Features = "__Features";
    public const string LabelKey = "__LabelKey";
    private const string Numeric = "__Numeric";

    public static IEstimator<ITransformer> Featurize(MLContext ml, TrainingDefinition definition)
    {
        var parts = new List<string>();
        IEstimator<ITransformer> chain = new EstimatorChain<ITransformer>();
        var numeric = definition.Features.Where(f => f.Treatment == FeatureTreatment.Numerical).Select(f => f.Name).ToArray();
        if (numeric.Length > 0)
        {
            chain = chain.Append(ml.Transforms.Concatenate(Numeric, numeric))
                .Append(ml.Transforms.ReplaceMissingValues(Numeric, replacementMode: MissingValueReplacingEstimator.ReplacementMode.Mean))
                .Append(ml.Transforms.NormalizeMinMax(Numeric));
            parts.Add(Numeric);
        }
        var index = 0;
        foreach (var feature in definition.Features.Where(f => f.Treatment != FeatureTreatment.Numerical))
        {
            var output = $"__{feature.Treatment}{index++}";
            chain = feature.Treatment == FeatureTreatment.Categorical
                ? chain.Append(ml.Transforms.Categorical.OneHotEncoding(output, feature.Name))
                : chain.Append(ml.Transforms.Text.FeaturizeText(output, feature.Name));
            parts.Add(output);
        }
        return chain.Append(ml.Transforms.Concatenate(Features, [.. parts]));
    }
}
