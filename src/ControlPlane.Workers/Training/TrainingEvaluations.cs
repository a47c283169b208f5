using ControlPlane.Domain.Common;
using ControlPlane.Domain.Evaluations;
using ControlPlane.Domain.Persistence;
using ControlPlane.Domain.Registry;
using ControlPlane.Domain.Training;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace ControlPlane.Workers.Training;

/// <summary>The version a new one is compared with: the Production version, else the one the champion alias points at.</summary>
public sealed record Baseline(int Version, Guid? Evaluation);

/// <summary>
/// After registration: an evaluation of the new version on the spec's evaluation dataset and, so reviewers can
/// compare on the same rows, one of the baseline version unless it already has one there that did not fail.
/// </summary>
public sealed class TrainingEvaluations(IDbContextFactory<ControlPlaneDbContext> contexts)
{
    public const string ChampionAlias = "champion";

    /// <summary>The requested evaluations, or a note saying why none could be (the version stays registered).</summary>
    public async Task<(Guid? Evaluation, Baseline? Baseline, string? Note)> RequestAsync(IServiceProvider scope, TrainingSpec spec, ModelVersionView version, CancellationToken ct)
    {
        if (spec.EvaluationDatasetId is not { } datasetId)
            return (null, null, null);
        var service = scope.GetRequiredService<EvaluationService>();
        await using var db = await contexts.CreateDbContextAsync(ct);
        var data = spec.EvaluationDatasetVersionId is { } fixedId
            ? await db.DatasetVersions.AsNoTracking().Where(v => v.Id == fixedId).Select(v => new { v.Id, v.Dataset!.Name, v.Number }).SingleAsync(ct)
            : await db.DatasetVersions.AsNoTracking().Where(v => v.DatasetId == datasetId).OrderByDescending(v => v.Number)
                .Select(v => new { v.Id, v.Dataset!.Name, v.Number }).FirstOrDefaultAsync(ct);
        if (data is null)
            return (null, null, "The evaluation dataset has no versions; nothing was evaluated.");
        try
        {
            var candidate = await service.RequestAsync(new EvaluationRequest(version.Model, version.Version, data.Name, data.Number, spec.LabelColumn), ct);
            var baseline = await FindBaselineAsync(db, spec.ModelId, version.Version, ct);
            if (baseline is null)
                return (candidate.Id, null, null);
            var existing = await db.EvaluationRuns.AsNoTracking()
                .Where(e => e.ModelVersionId == baseline.Value.Id && e.DatasetVersionId == data.Id && e.Status != EvaluationStatus.Failed
                    && e.LabelColumn == spec.LabelColumn)
                .OrderByDescending(e => e.RequestedAtUtc).Select(e => (Guid?)e.Id).FirstOrDefaultAsync(ct);
            existing ??= (await service.RequestAsync(new EvaluationRequest(version.Model, baseline.Value.Number, data.Name, data.Number, spec.LabelColumn), ct)).Id;
            return (candidate.Id, new Baseline(baseline.Value.Number, existing), null);
        }
        catch (DomainException e)
        {
            return (null, null, $"v{version.Version} is registered, but its evaluation on {data.Name} v{data.Number} could not be requested: {e.Message}");
        }
    }

    private static async Task<(Guid Id, int Number)?> FindBaselineAsync(ControlPlaneDbContext db, Guid modelId, int newVersion, CancellationToken ct)
    {
        var production = await db.Versions.AsNoTracking().Where(v => v.ModelId == modelId && v.Stage == LifecycleStage.Production && v.Number != newVersion)
            .OrderByDescending(v => v.Number).Select(v => new { v.Id, v.Number }).FirstOrDefaultAsync(ct);
        if (production is not null)
            return (production.Id, production.Number);
        var champion = await db.Aliases.AsNoTracking().Where(a => a.ModelId == modelId && a.Name == ChampionAlias && a.Version!.Number != newVersion)
            .Select(a => new { a.Version!.Id, a.Version.Number }).FirstOrDefaultAsync(ct);
        return champion is null ? null : (champion.Id, champion.Number);
    }
}
