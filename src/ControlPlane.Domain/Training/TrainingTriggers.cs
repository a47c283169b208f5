namespace ControlPlane.Domain.Training;

/// <summary>What started a training run (<see cref="TrainingRun.Trigger"/>).</summary>
public static class TrainingTriggers
{
    public const string Manual = "manual";
    public const string Schedule = "schedule";
    public const string Drift = "drift";
    /// <summary>A production monitor's window drifted; the run acts for the monitor's owner, who linked the spec.</summary>
    public const string Production = "production";
}
