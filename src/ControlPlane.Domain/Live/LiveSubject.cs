namespace ControlPlane.Domain.Live;

/// <summary>
/// Something an open page watches: a kind and an id. The kind is an open string so new features (training runs)
/// can join; <see cref="LiveKinds"/> names the ones the database watcher knows how to read.
/// </summary>
public readonly record struct LiveSubject(string Kind, Guid Id)
{
    public static LiveSubject DatasetProfile(Guid datasetVersionId) => new(LiveKinds.DatasetProfile, datasetVersionId);
    public static LiveSubject Evaluation(Guid evaluationId) => new(LiveKinds.Evaluation, evaluationId);
    public static LiveSubject DriftRun(Guid runId) => new(LiveKinds.DriftRun, runId);
    public static LiveSubject TrainingRun(Guid runId) => new(LiveKinds.TrainingRun, runId);

    /// <summary>A monitor's runs: one queued, progressing or finishing, and the monitor's last verdict.</summary>
    public static LiveSubject DriftMonitor(Guid monitorId) => new(LiveKinds.DriftMonitor, monitorId);

    /// <summary>A production monitor's windows: one computed or recomputed, and the monitor's own edits.</summary>
    public static LiveSubject ProductionMonitor(Guid monitorId) => new(LiveKinds.ProductionMonitor, monitorId);

    /// <summary>The in-app notifications (one subject for everyone).</summary>
    public static LiveSubject Notifications { get; } = new(LiveKinds.Notifications, Guid.Empty);

    public override string ToString() => $"{Kind}:{Id}";
}

public static class LiveKinds
{
    public const string DatasetProfile = "dataset-profile";
    public const string Evaluation = "evaluation";
    public const string DriftRun = "drift-run";
    public const string DriftMonitor = "drift-monitor";
    public const string TrainingRun = "training-run";
    public const string ProductionMonitor = "production-monitor";
    public const string Notifications = "notifications";
}
