namespace ControlPlane.Workers.Drift.Statistics;

public enum DriftColumnKind
{
    Numerical,
    Categorical,
}
