using ControlPlane.Domain.Registry;

namespace ControlPlane.Domain.Training;

public sealed record TrainingFeature(string Name, FeatureTreatment Treatment);

/// <summary>A dataset by name; without a version its latest version at run time.</summary>
public sealed record DatasetSelection(string Name, int? Version = null);

/// <summary>
/// A spec as sent. Hyperparameters left out take the trainer's defaults; without folds a seeded share of rows
/// (default 0.2) validates. <see cref="ConcurrencyStamp"/> on an update must match the stored one (409 otherwise).
/// </summary>
public sealed record TrainingSpecRequest(
    string Model, string Name, TrainingTask Task, string LabelColumn, IReadOnlyList<TrainingFeature> Features, string Trainer,
    DatasetSelection TrainingDataset, IReadOnlyDictionary<string, double>? Hyperparameters = null, double? ValidationFraction = null,
    int? CrossValidationFolds = null, int? Seed = null, DatasetSelection? EvaluationDataset = null, string? Schedule = null,
    string? TimeZone = null, bool Enabled = true, Guid? DriftMonitorId = null, int? DriftCooldownMinutes = null,
    string? Description = null, Guid? ConcurrencyStamp = null, int? TimeLimitMinutes = null);

public sealed record TrainingSpecView(
    Guid Id, string Model, string Name, string? Description, TrainingTask Task, string LabelColumn, IReadOnlyList<TrainingFeature> Features,
    string Trainer, IReadOnlyDictionary<string, double> Hyperparameters, double ValidationFraction, int? CrossValidationFolds, int Seed,
    DatasetSelection TrainingDataset, DatasetSelection? EvaluationDataset, string? Schedule, string TimeZone, bool Enabled,
    Guid? DriftMonitorId, string? DriftMonitor, int DriftCooldownMinutes, string Hash, string Owner, DateTime CreatedAt, DateTime UpdatedAt,
    Guid ConcurrencyStamp, TrainingRunSummary? LastRun)
{
    /// <summary>The spec's own time limit for one fit, in minutes (null: the server's).</summary>
    public int? TimeLimitMinutes { get; init; }
}

public sealed record TrainingRunSummary(Guid Id, TrainingRunStatus Status, int? ModelVersion, DateTime RequestedAt);

public sealed record TrainingRunView(
    Guid Id, Guid SpecId, string Spec, string Model, string SpecHash, string Trigger, DatasetRef? Dataset, TrainingRunStatus Status,
    double Progress, string? Phase, bool CancelRequested, string? Error, IReadOnlyDictionary<string, double>? Metrics, long? TrainingRows,
    long? ValidationRows, int? ModelVersion, OnnxExportStatus OnnxExport, string? OnnxMessage, Guid? EvaluationId, Guid? BaselineEvaluationId,
    long? TrainingMs, string? Machine, string RequestedBy, DateTime RequestedAt, DateTime? StartedAt, DateTime? CompletedAt);
