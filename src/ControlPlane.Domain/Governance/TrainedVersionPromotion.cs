using ControlPlane.Domain.Common;
using ControlPlane.Domain.Evaluations;
using ControlPlane.Domain.Persistence;
using ControlPlane.Domain.Registry;
using ControlPlane.Domain.Training;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace ControlPlane.Domain.Governance;

/// <summary>
/// Opens a promotion request to Production for a freshly trained version once its evidence is complete (its
/// evaluations and the baseline's have finished) and every gate of the policy passes. It only asks: reviewers still
/// sign, and nothing reaches production without their approval.
/// </summary>
public sealed class TrainedVersionPromotion(
    IDbContextFactory<ControlPlaneDbContext> contexts,
    IServiceScopeFactory scopes,
    ILogger<TrainedVersionPromotion> logger) : ITrainingPromotionHook
{
    private const string TrainedSourcePrefix = "training-run:";

    public async Task OpenPromotionRequestAsync(TrainingCandidate candidate, CancellationToken ct)
    {
        await using var db = await contexts.CreateDbContextAsync(ct);
        var versionId = await db.Versions.Where(v => v.Model!.NormalizedName == candidate.Model.ToUpperInvariant() && v.Number == candidate.Version)
            .Select(v => (Guid?)v.Id).SingleOrDefaultAsync(ct);
        if (versionId is { } id)
            await TryAsync(db, id, ct);
    }

    public async Task EvaluationFinishedAsync(Guid evaluationId, CancellationToken ct)
    {
        await using var db = await contexts.CreateDbContextAsync(ct);
        var modelId = await db.EvaluationRuns.Where(e => e.Id == evaluationId).Select(e => (Guid?)e.ModelVersion!.ModelId).SingleOrDefaultAsync(ct);
        if (modelId is null)
            return;
        // The finished evaluation may be the candidate's or its baseline's: look at the model's newest trained version.
        var candidate = await db.Versions.Where(v => v.ModelId == modelId && v.Source != null && v.Source.StartsWith(TrainedSourcePrefix))
            .OrderByDescending(v => v.Number).Select(v => (Guid?)v.Id).FirstOrDefaultAsync(ct);
        if (candidate is { } id)
            await TryAsync(db, id, ct);
    }

    private async Task TryAsync(ControlPlaneDbContext db, Guid versionId, CancellationToken ct)
    {
        var version = await db.Versions.AsNoTracking().Include(v => v.Model).SingleAsync(v => v.Id == versionId, ct);
        if (version.Stage != LifecycleStage.None || version.Model!.OnHold)
            return;
        if (await db.PromotionRequests.AnyAsync(r => r.ModelVersionId == versionId && r.TargetStage == LifecycleStage.Production, ct))
            return; // asked once already: a reviewer's decision, a withdrawal or an invalidation stands
        var production = await db.Versions.Where(v => v.ModelId == version.ModelId && v.Stage == LifecycleStage.Production).Select(v => v.Id).ToListAsync(ct);
        if (await db.EvaluationRuns.AnyAsync(e => (e.ModelVersionId == versionId || production.Contains(e.ModelVersionId))
                && (e.Status == EvaluationStatus.Queued || e.Status == EvaluationStatus.Running), ct))
            return; // evidence still coming; the evaluation job calls back when it finishes

        // The request is the person's behind the run (who started it, or the spec's owner), so they cannot sign it.
        if (version.Source is not { } source || !source.StartsWith(TrainedSourcePrefix, StringComparison.Ordinal) || !Guid.TryParse(source[TrainedSourcePrefix.Length..], out var runId))
            return;
        await using var scope = OperationScope.Begin(scopes, await TrainingRunActors.ForRunAsync(db, runId, ct));
        var promotions = scope.ServiceProvider.GetRequiredService<Promotions>();
        var target = new PromotionTarget(LifecycleStage.Production);
        var gates = await promotions.PreviewGatesAsync(version.Model.Name, version.Number, target, ct);
        if (gates.Any(g => !g.Passed))
        {
            logger.LogInformation("Trained {Model} v{Version} is not put forward: {Gates}", version.Model.Name, version.Number,
                string.Join("; ", gates.Where(g => !g.Passed).Select(g => g.Detail)));
            return;
        }
        try
        {
            await promotions.RequestAsync(new PromotionRequestInput(version.Model.Name, version.Number, target,
                $"Retrained ({version.Source}); every gate of the policy passed on its evaluations."), ct);
        }
        catch (ConflictException e)
        {
            logger.LogInformation("Trained {Model} v{Version} was not put forward: {Reason}", version.Model.Name, version.Number, e.Message);
        }
    }
}
