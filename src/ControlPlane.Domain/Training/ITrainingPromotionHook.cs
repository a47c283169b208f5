namespace ControlPlane.Domain.Training;

/// <summary>A newly trained version and the evaluations requested for it, for whoever decides about promotion.</summary>
public sealed record TrainingCandidate(Guid RunId, Guid SpecId, string Model, int Version, Guid? Evaluation, Guid? BaselineEvaluation, int? BaselineVersion);

/// <summary>
/// Extension point called after a training run registered its version and requested its evaluations. Governance
/// implements it to open a promotion request once the evaluations have passed the policy's gates; nothing reaches
/// production without approval.
/// </summary>
public interface ITrainingPromotionHook
{
    Task OpenPromotionRequestAsync(TrainingCandidate candidate, CancellationToken ct);

    /// <summary>An evaluation finished: a trained candidate waiting for it may now have its evidence complete.</summary>
    Task EvaluationFinishedAsync(Guid evaluationId, CancellationToken ct);
}
