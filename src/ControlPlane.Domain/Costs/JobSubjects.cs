using ControlPlane.Domain.Comparisons;
using ControlPlane.Domain.Drift;
using ControlPlane.Domain.Evaluations;
using ControlPlane.Domain.Persistence;
using ControlPlane.Domain.Training;
using Microsoft.EntityFrameworkCore;

namespace ControlPlane.Domain.Costs;

/// <summary>What a job's id argument points at: the model it belongs to and whether the run it recorded failed.</summary>
public sealed record JobSubject(Guid? ModelId, JobUsageOutcome? RunOutcome);

/// <summary>
/// Resolves a job's run id to its model and outcome from the run row. Jobs that catch bad input record the failure on
/// the run and end normally, so the run's status, not the job system's, says whether the attempt failed.
/// </summary>
public static class JobSubjects
{
    public static async Task<JobSubject> ResolveAsync(ControlPlaneDbContext db, string kind, Guid? id, CancellationToken ct)
    {
        if (id is not { } runId)
            return new JobSubject(null, null);
        switch (kind)
        {
            case "EvaluationJob":
                var evaluation = await db.EvaluationRuns.AsNoTracking().Where(r => r.Id == runId)
                    .Select(r => new { r.ModelVersion!.ModelId, r.Status }).SingleOrDefaultAsync(ct);
                return new JobSubject(evaluation?.ModelId, evaluation?.Status == EvaluationStatus.Failed ? JobUsageOutcome.Failed : null);
            case "DriftRunJob":
                var drift = await db.DriftRuns.AsNoTracking().Where(r => r.Id == runId)
                    .Select(r => new { ModelId = (Guid?)r.Monitor!.ModelVersion!.ModelId, r.Status }).SingleOrDefaultAsync(ct);
                return new JobSubject(drift?.ModelId, drift?.Status == DriftRunStatus.Failed ? JobUsageOutcome.Failed : null);
            case "DriftScheduleJob":
                return new JobSubject(await db.DriftMonitors.AsNoTracking().Where(m => m.Id == runId).Select(m => (Guid?)m.ModelVersion!.ModelId).SingleOrDefaultAsync(ct), null);
            case "TrainingJob":
                var training = await db.TrainingRuns.AsNoTracking().Where(r => r.Id == runId)
                    .Select(r => new { r.Spec!.ModelId, r.Status }).SingleOrDefaultAsync(ct);
                return new JobSubject(training?.ModelId, training?.Status switch
                {
                    TrainingRunStatus.Failed or TrainingRunStatus.TimedOut => JobUsageOutcome.Failed,
                    TrainingRunStatus.Cancelled => JobUsageOutcome.Cancelled,
                    _ => null,
                });
            case "TrainingScheduleJob":
                return new JobSubject(await db.TrainingSpecs.AsNoTracking().Where(s => s.Id == runId).Select(s => (Guid?)s.ModelId).SingleOrDefaultAsync(ct), null);
            case "ChallengerComparisonJob":
                var comparison = await db.ChallengerComparisons.AsNoTracking().Where(c => c.Id == runId)
                    .Select(c => new { c.ModelId, c.Status }).SingleOrDefaultAsync(ct);
                return new JobSubject(comparison?.ModelId, comparison?.Status == ComparisonStatus.Failed ? JobUsageOutcome.Failed : null);
            case "ProductionWindowsJob":
                return new JobSubject(await db.ProductionMonitors.AsNoTracking().Where(m => m.Id == runId).Select(m => (Guid?)m.ModelId).SingleOrDefaultAsync(ct), null);
            default:
                return new JobSubject(null, null);
        }
    }
}
