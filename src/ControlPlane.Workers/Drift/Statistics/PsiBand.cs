namespace ControlPlane.Workers.Drift.Statistics;

/// <summary>The conventional reading of a PSI value: below 0.1 no shift, 0.1–0.25 moderate, 0.25 and above significant.</summary>
public enum PsiBand
{
    None,
    Moderate,
    Significant,
}

public static class PsiBands
{
    public static PsiBand Of(double psi) => psi switch
    {
        < 0.1 => PsiBand.None,
        < 0.25 => PsiBand.Moderate,
        _ => PsiBand.Significant,
    };
}
