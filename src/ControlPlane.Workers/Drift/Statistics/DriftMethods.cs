namespace ControlPlane.Workers.Drift.Statistics;

/// <summary>Which method judges a column by default, and how each method's value turns into a verdict.</summary>
public static class DriftMethods
{
    /// <summary>Up to this many reference values the tests (KS, chi-square) decide; above, the distances do.</summary>
    public const int SmallReference = 1000;

    /// <param name="comparedAsCategories">Categorical, or numerical with at most 5 distinct reference values.</param>
    public static DriftMethod Default(bool comparedAsCategories, int referenceCount, int testsUpTo = SmallReference) => (comparedAsCategories, referenceCount <= testsUpTo) switch
    {
        (false, true) => DriftMethod.KolmogorovSmirnov,
        (false, false) => DriftMethod.Wasserstein,
        (true, true) => DriftMethod.ChiSquare,
        (true, false) => DriftMethod.JensenShannon,
    };

    public static bool HasPValue(DriftMethod method) => method is DriftMethod.KolmogorovSmirnov or DriftMethod.ChiSquare;

    public static bool NeedsNumbers(DriftMethod method) => method is DriftMethod.KolmogorovSmirnov or DriftMethod.Wasserstein;

    /// <summary>p-values drift below the threshold; distances at or above it.</summary>
    public static bool IsDrift(DriftMethod method, double value, double threshold) =>
        HasPValue(method) ? value < threshold : value >= threshold;
}
