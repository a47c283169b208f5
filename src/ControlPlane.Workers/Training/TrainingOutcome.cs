using ControlPlane.Domain.Training;

namespace ControlPlane.Workers.Training;

/// <summary>What a finished training leaves on its run.</summary>
public sealed record TrainingOutcome(
    Guid ModelVersionId, int ModelVersion, IReadOnlyDictionary<string, double> Metrics, long TrainingRows, long ValidationRows,
    OnnxExportStatus OnnxExport, string? OnnxMessage, string? OnnxSha256, long TrainingMs, Guid? EvaluationId, Guid? BaselineEvaluationId, string? Note);
