namespace ControlPlane.Workers.Evaluation.Importance;

/// <summary>
/// Permutation feature importance of one evaluation: for each feature, how much the main metric dropped when that
/// column was shuffled (baseline − permuted, so higher means more important), its mean and population standard
/// deviation over the repeats (as scikit-learn's <c>permutation_importance</c>), most important first.
/// <see cref="Metric"/> names the main metric; for regression it is <c>-rmse</c>. <see cref="Note"/> says why there
/// are no figures when <see cref="Features"/> is empty.
/// </summary>
public sealed record ImportanceReport(
    string? Metric, double? Baseline, int Repeats, int Seed, long SampleRows, long DatasetRows,
    IReadOnlyList<FeatureImportance> Features, string? Note = null)
{
    public static ImportanceReport NotMeasured(ImportanceOptions options, string why) => new(null, null, options.Repeats, options.Seed, 0, 0, [], why);
}

/// <summary>One feature's drops, one per repeat, with their mean and population standard deviation.</summary>
public sealed record FeatureImportance(string Feature, double Mean, double StandardDeviation, IReadOnlyList<double> Drops)
{
    public static FeatureImportance From(string feature, IReadOnlyList<double> drops)
    {
        var mean = drops.Average();
        var variance = drops.Sum(d => (d - mean) * (d - mean)) / drops.Count;
        return new FeatureImportance(feature, mean, Math.Sqrt(variance), drops);
    }
}
