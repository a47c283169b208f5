using System.Text.Json;
using ControlPlane.Domain.Evaluations;
using ControlPlane.Domain.Persistence;
using ControlPlane.Domain.Registry;
using Microsoft.EntityFrameworkCore;

namespace ControlPlane.Domain.Governance;

/// <summary>Gathers the evidence for a version and target as it stands now; lists are ordered so the hash is stable.</summary>
internal static class EvidenceCollector
{
    public static async Task<PromotionEvidence> CollectAsync(
        ControlPlaneDbContext db, RegisteredModel model, ModelVersion version, LifecycleStage? stage, string? alias,
        PromotionPolicy policy, PolicyRules rules, CancellationToken ct)
    {
        var baselineId = await BaselineAsync(db, model.Id, version.Id, alias, ct);
        int? baselineNumber = baselineId is { } b ? await db.Versions.Where(v => v.Id == b).Select(v => v.Number).SingleAsync(ct) : null;

        EvaluationEvidence? evaluation = null, baseline = null;
        if (rules.EvaluationDataset is { } datasetName)
        {
            // The dataset version the policy names, or the dataset's latest: never whichever version was evaluated last.
            var normalized = datasetName.ToUpperInvariant();
            var versions = db.DatasetVersions.Where(v => v.Dataset!.NormalizedName == normalized);
            var read = rules.EvaluationDatasetVersion is { } number
                ? await versions.Where(v => v.Number == number).Select(v => (Guid?)v.Id).SingleOrDefaultAsync(ct)
                : await versions.OrderByDescending(v => v.Number).Select(v => (Guid?)v.Id).FirstOrDefaultAsync(ct);
            evaluation = await LatestEvaluationAsync(db.EvaluationRuns.Where(e => e.ModelVersionId == version.Id && e.DatasetVersionId == read), ct);
            if (evaluation is not null && baselineId is { } baseId)
                baseline = await LatestEvaluationAsync(db.EvaluationRuns.Where(e => e.ModelVersionId == baseId && e.DatasetVersionId == evaluation.DatasetVersionId), ct);
        }
        return new PromotionEvidence(
            model.Name, version.Number, version.Id, version.ArtifactSha256, version.ArtifactSize, version.CreatedBy,
            alias is null ? $"stage:{stage}" : $"alias:{alias}", policy.Id, policy.Version,
            new ModelCard(version.IntendedUse, version.Limitations, version.RiskTier, version.CardOwner),
            evaluation, baselineNumber, baseline, await DriftAsync(db, model.Id, version.Id, ct), await OpenJobsAsync(db, version.Id, ct),
            rules.HealthyProductionWindows is { } windows ? await ProductionAsync(db, model.Id, windows, ct) : null,
            rules.ChallengerNotWorse is { } gate ? await ChallengerAsync(db, model.Id, version.Number, baselineNumber, gate.Metric, ct) : null);
    }

    /// <summary>What the promotion replaces: the production version, or the version the alias points at now.</summary>
    public static async Task<Guid?> BaselineAsync(ControlPlaneDbContext db, Guid modelId, Guid candidateId, string? alias, CancellationToken ct)
    {
        var current = alias is null
            ? await db.Versions.Where(v => v.ModelId == modelId && v.Stage == LifecycleStage.Production).OrderByDescending(v => v.Number).Select(v => (Guid?)v.Id).FirstOrDefaultAsync(ct)
            : await db.Aliases.Where(a => a.ModelId == modelId && a.Name == alias).Select(a => (Guid?)a.ModelVersionId).SingleOrDefaultAsync(ct);
        return current == candidateId ? null : current;
    }

    private static async Task<EvaluationEvidence?> LatestEvaluationAsync(IQueryable<EvaluationRun> runs, CancellationToken ct)
    {
        var run = await runs.Where(e => e.Status == EvaluationStatus.Succeeded).OrderByDescending(e => e.CompletedAtUtc).ThenByDescending(e => e.Id)
            .Select(e => new { e.Id, Dataset = e.DatasetVersion!.Dataset!.Name, e.DatasetVersion.Number, e.DatasetVersionId, e.CompletedAtUtc, e.Metrics, e.DatasetVersion.RowCount })
            .FirstOrDefaultAsync(ct);
        if (run is null)
            return null;
        var metrics = JsonSerializer.Deserialize<Dictionary<string, double>>(run.Metrics ?? "{}")!;
        return new EvaluationEvidence(run.Id, run.Dataset, run.Number, run.DatasetVersionId, run.CompletedAtUtc ?? default,
            new SortedDictionary<string, double>(metrics, StringComparer.Ordinal), run.RowCount);
    }

    /// <summary>The latest run of every enabled monitor linked to any version of the model (they watch the same inputs).</summary>
    private static async Task<IReadOnlyList<DriftEvidence>> DriftAsync(ControlPlaneDbContext db, Guid modelId, Guid versionId, CancellationToken ct)
    {
        var monitors = await db.DriftMonitors.AsNoTracking()
            .Where(m => m.Enabled && m.ModelVersion!.ModelId == modelId)
            .Select(m => new { m.Id, m.Name, m.ModelVersion!.Number, m.LastRunId }).ToListAsync(ct);
        var runIds = monitors.Where(m => m.LastRunId is not null).Select(m => m.LastRunId!.Value).ToList();
        var runs = await db.DriftRuns.AsNoTracking().Where(r => runIds.Contains(r.Id))
            .ToDictionaryAsync(r => r.Id, r => new { r.CompletedAtUtc, r.DatasetDrift, r.DriftShare, r.DriftedColumns }, ct);
        // The drifted columns weighed by the importance of the version being promoted, whichever version the monitor names.
        var importance = await Explainability.ModelImportance.LatestAsync(db, versionId, ct);
        var results = importance is null ? [] : await db.DriftRuns.AsNoTracking().Where(r => runIds.Contains(r.Id) && r.Results != null && r.DriftedColumns > 0)
            .ToDictionaryAsync(r => r.Id, r => r.Results!, ct);
        return [.. monitors.OrderBy(m => m.Name, StringComparer.Ordinal).Select(m =>
        {
            var run = m.LastRunId is { } id ? runs.GetValueOrDefault(id) : null;
            return new DriftEvidence(m.Id, m.Name, m.Number, run is null ? null : m.LastRunId, run?.CompletedAtUtc, run?.DatasetDrift, run?.DriftShare, run?.DriftedColumns)
            {
                DriftedByImportance = run is not null && results.TryGetValue(m.LastRunId!.Value, out var json) ? DriftedByImportance(json, importance!) : null,
            };
        })];
    }

    private static IReadOnlyList<Explainability.AttributedColumn> DriftedByImportance(string resultsJson, Explainability.ModelImportance importance)
    {
        using var results = JsonDocument.Parse(resultsJson);
        var columns = results.RootElement.GetProperty("columns").EnumerateArray().Select(Explainability.DriftRunAttribution.Column).ToList();
        return [.. Explainability.DriftAttributionView.Build(columns, importance).Columns.Where(c => c.Drifted)];
    }

    /// <summary>The latest <paramref name="windows"/> computed windows of each enabled production monitor of the model, with the breached ones.</summary>
    private static async Task<IReadOnlyList<ProductionEvidence>> ProductionAsync(ControlPlaneDbContext db, Guid modelId, int windows, CancellationToken ct)
    {
        var monitors = await db.ProductionMonitors.AsNoTracking().Where(m => m.Enabled && m.ModelId == modelId)
            .OrderBy(m => m.Name).Select(m => new { m.Id, m.Name }).ToListAsync(ct);
        var evidence = new List<ProductionEvidence>();
        foreach (var monitor in monitors)
        {
            var latest = await db.ProductionWindows.AsNoTracking().Where(w => w.MonitorId == monitor.Id)
                .OrderByDescending(w => w.StartUtc).Take(windows).Select(w => new { w.StartUtc, w.Health, w.Breaches }).ToListAsync(ct);
            evidence.Add(new ProductionEvidence(monitor.Id, monitor.Name, latest.Count,
                [.. latest.Where(w => w.Health == Production.WindowHealth.Breached).OrderBy(w => w.StartUtc).Select(w => new BreachedWindow(w.StartUtc, w.Breaches))]));
        }
        return evidence;
    }

    /// <summary>The latest succeeded comparison of the candidate (as challenger) against the baseline (as champion), with its test of <paramref name="metric"/>.</summary>
    private static async Task<ChallengerEvidence?> ChallengerAsync(ControlPlaneDbContext db, Guid modelId, int candidate, int? baseline, string metric, CancellationToken ct)
    {
        if (baseline is null)
            return new ChallengerEvidence(null, null, null, null, null, null, null);
        var latest = await db.ChallengerComparisons.AsNoTracking()
            .Where(c => c.ModelId == modelId && c.Status == Comparisons.ComparisonStatus.Succeeded && c.ChallengerVersion == candidate && c.ChampionVersion == baseline)
            .OrderByDescending(c => c.CompletedAtUtc).ThenByDescending(c => c.Id).FirstOrDefaultAsync(ct);
        if (latest is null)
            return new ChallengerEvidence(null, baseline, null, null, null, null, null);
        var result = Comparisons.ComparisonResult.FromJson(latest.Results!);
        return new ChallengerEvidence(latest.Id, latest.ChampionVersion, latest.Mode, latest.FromUtc, latest.ToUtc, latest.CompletedAtUtc,
            result.Tests.FirstOrDefault(t => t.Metric == metric));
    }

    /// <summary>Evaluations of the version still queued or running, and those whose latest attempt on a dataset version failed.</summary>
    private static async Task<IReadOnlyList<JobEvidence>> OpenJobsAsync(ControlPlaneDbContext db, Guid versionId, CancellationToken ct)
    {
        var runs = await db.EvaluationRuns.AsNoTracking().Where(e => e.ModelVersionId == versionId)
            .Select(e => new { e.Id, e.DatasetVersionId, e.Status, e.Error, e.RequestedAtUtc }).ToListAsync(ct);
        return [.. runs.GroupBy(r => r.DatasetVersionId)
            .SelectMany(g =>
            {
                var latest = g.OrderByDescending(r => r.RequestedAtUtc).ThenByDescending(r => r.Id).First();
                var open = g.Where(r => r.Status is EvaluationStatus.Queued or EvaluationStatus.Running).ToList();
                if (latest.Status == EvaluationStatus.Failed)
                    open.Add(latest);
                return open;
            })
            .OrderBy(r => r.RequestedAtUtc).ThenBy(r => r.Id)
            .Select(r => new JobEvidence("evaluation", r.Id, r.Status.ToString(), r.Error is { Length: > 300 } e ? e[..300] : r.Error, r.RequestedAtUtc))];
    }
}
