using System.Text.Json;
using ControlPlane.Domain.Drift;
using ControlPlane.Workers.Drift;
using ControlPlane.Workers.Drift.Statistics;

namespace ControlPlane.Web.Components.Pages.Drift;

/// <summary>
/// Puts every test on one scale for heatmaps and trends: 1 is the threshold, above 1 is drift. Distances divide by
/// their threshold (Wasserstein uses its normalized value); p-value tests compare −log10 p with −log10 of the threshold.
/// Scores are not capped: a chart may saturate its colour at <see cref="ColorMax"/>, but says the real value.
/// </summary>
public static class DriftScores
{
    /// <summary>Where heatmap colours stop growing: ten times the threshold is drift by any reading.</summary>
    public const double ColorMax = 10;

    public static DatasetDriftResult? Read(DriftRunView run) =>
        run.Results is { } json ? json.Deserialize<DatasetDriftResult>(DriftRunner.Json) : null;

    public static double? Score(ColumnDriftResult column)
    {
        if (column.Status == DriftStatus.InsufficientData || column.Tests.Count == 0)
            return null;
        var test = column.Tests[0];
        if (test.PValue is { } p)
        {
            var adjusted = test.AdjustedPValue ?? p;
            return -Math.Log10(Math.Max(adjusted, 1e-300)) / -Math.Log10(test.Threshold);
        }
        var value = test.Normalized ?? test.Statistic;
        return test.Threshold > 0 ? value / test.Threshold : null;
    }

    public static string Method(DriftMethod method) => method switch
    {
        DriftMethod.KolmogorovSmirnov => "KS",
        DriftMethod.Wasserstein => "Wasserstein",
        DriftMethod.Psi => "PSI",
        DriftMethod.JensenShannon => "Jensen–Shannon",
        _ => "χ²",
    };
}
