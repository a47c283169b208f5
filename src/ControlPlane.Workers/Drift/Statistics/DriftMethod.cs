namespace ControlPlane.Workers.Drift.Statistics;

public enum DriftMethod
{
    /// <summary>Two-sample Kolmogorov–Smirnov test (numerical); drift when p &lt; threshold.</summary>
    KolmogorovSmirnov,

    /// <summary>Wasserstein-1 distance over the reference's population std (numerical); drift when ≥ threshold.</summary>
    Wasserstein,

    /// <summary>Population Stability Index over reference-decile bins or categories; drift when ≥ threshold.</summary>
    Psi,

    /// <summary>Jensen–Shannon distance, base 2, over the same bins or categories; drift when ≥ threshold.</summary>
    JensenShannon,

    /// <summary>Pearson chi-square test of homogeneity over the bins or categories; drift when p &lt; threshold.</summary>
    ChiSquare,
}
