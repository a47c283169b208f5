using ControlPlane.Domain.Datasets;
using ControlPlane.Domain.Drift;
using ControlPlane.Domain.Registry;

namespace ControlPlane.Domain.Training;

/// <summary>
/// How to train a new version of a registered model: task, label, features and their treatment, trainer and
/// hyperparameters, validation, seed and data; optionally when (cron) and on which drift. Edited in place; each run
/// keeps the hash of the definition it trained with.
/// </summary>
public sealed class TrainingSpec
{
    public Guid Id { get; set; }
    public Guid ModelId { get; set; }
    public RegisteredModel? Model { get; set; }
    public required string Name { get; set; }
    public string? Description { get; set; }
    public TrainingTask Task { get; set; }
    public required string LabelColumn { get; set; }
    /// <summary>JSON array of <see cref="TrainingFeature"/>.</summary>
    public required string Features { get; set; }
    public required string Trainer { get; set; }
    /// <summary>JSON object of every hyperparameter of the trainer (given values over the defaults).</summary>
    public required string Hyperparameters { get; set; }
    /// <summary>Share of rows held out for validation; ignored when <see cref="CrossValidationFolds"/> is set.</summary>
    public double ValidationFraction { get; set; } = 0.2;
    public int? CrossValidationFolds { get; set; }
    public int Seed { get; set; }
    /// <summary>Training data: the latest version of this dataset at run time…</summary>
    public Guid TrainingDatasetId { get; set; }
    public Dataset? TrainingDataset { get; set; }
    /// <summary>…or this fixed version of it.</summary>
    public Guid? TrainingDatasetVersionId { get; set; }
    public DatasetVersion? TrainingDatasetVersion { get; set; }
    public Guid? EvaluationDatasetId { get; set; }
    public Dataset? EvaluationDataset { get; set; }
    public Guid? EvaluationDatasetVersionId { get; set; }
    public DatasetVersion? EvaluationDatasetVersion { get; set; }
    /// <summary>Cron (five or six fields) in <see cref="TimeZone"/>; null = on demand only.</summary>
    public string? Schedule { get; set; }
    public string TimeZone { get; set; } = "UTC";
    public bool Enabled { get; set; } = true;
    /// <summary>A drift monitor whose dataset drift starts a run, at most once per <see cref="DriftCooldownMinutes"/>.</summary>
    public Guid? DriftMonitorId { get; set; }
    public DriftMonitor? DriftMonitor { get; set; }
    public int DriftCooldownMinutes { get; set; } = 24 * 60;

    /// <summary>
    /// How long one fit of this spec may run, in minutes; null for the server's limit (ControlPlane:Training:TimeLimit),
    /// which also caps this one: a spec can ask for less time, never more.
    /// </summary>
    public int? TimeLimitMinutes { get; set; }
    /// <summary>SHA-256 of the canonical JSON of what determines the model (see <see cref="TrainingSpecHash"/>).</summary>
    public required string Hash { get; set; }
    public required string Owner { get; set; }
    public DateTime CreatedAtUtc { get; set; }
    public DateTime UpdatedAtUtc { get; set; }
    public Guid ConcurrencyStamp { get; set; }
}
