using System.Text.Json;
using ControlPlane.Domain.Audit;
using ControlPlane.Domain.Common;
using ControlPlane.Domain.Datasets;
using ControlPlane.Domain.Identity;
using ControlPlane.Domain.Jobs;
using ControlPlane.Domain.Persistence;
using ControlPlane.Domain.Registry;
using Microsoft.EntityFrameworkCore;

namespace ControlPlane.Domain.Evaluations;

/// <summary>Requests evaluations (queued on the gpu queue) and reads their results. Data scientists and admins request; every role reads.</summary>
public sealed class EvaluationService(
    IDbContextFactory<ControlPlaneDbContext> contexts,
    IJobScheduler jobs,
    IActorContext actor,
    TimeProvider time)
{
    public const int MaxBatchSize = 65_536;
    public const int DefaultImportanceMaxFeatures = 50;
    public const int DefaultImportanceRepeats = 5;
    public const int MaxImportanceRepeats = 100;
    private static readonly string[] Writers = [ControlPlaneRoles.DataScientist, ControlPlaneRoles.Admin];
    private static readonly string[] Readers = [.. ControlPlaneRoles.All];

    /// <summary>Checks the request against the model signature and the dataset schema, then queues the job. Incompatible inputs are a 400 before any job runs.</summary>
    public async Task<EvaluationView> RequestAsync(EvaluationRequest request, CancellationToken ct = default)
    {
        actor.Current.RequireAnyRole(Writers);
        var threshold = request.Threshold ?? 0.5;
        if (!(threshold > 0 && threshold < 1))
            throw Invalid("threshold", "The threshold is a probability strictly between 0 and 1.");
        var batchSize = request.BatchSize ?? 1024;
        if (batchSize is < 1 or > MaxBatchSize)
            throw Invalid("batchSize", $"The batch size is between 1 and {MaxBatchSize:N0}.");

        await using var db = await contexts.CreateDbContextAsync(ct);
        var model = await ModelRegistry.FindModelAsync(db.Models.AsNoTracking(), request.Model, ct);
        var version = await ModelRegistry.FindVersionAsync(db.Versions.AsNoTracking(), model, request.Version, ct);
        var dataset = await DatasetCatalog.FindAsync(db.Datasets.AsNoTracking(), request.Dataset, ct);
        var data = await DatasetCatalog.FindVersionAsync(db.DatasetVersions.AsNoTracking(), dataset, request.DatasetVersion, ct);
        var schema = DatasetColumn.FromJson(data.Schema);

        var label = request.LabelColumn is { Length: > 0 } named
            ? schema.FirstOrDefault(c => string.Equals(c.Name, named.Trim(), StringComparison.OrdinalIgnoreCase))
                ?? throw Invalid("labelColumn", $"{dataset.Name} v{data.Number} has no column named '{named}'.")
            : schema.FirstOrDefault(c => c.Role == ColumnRole.Label)
                ?? throw Invalid("labelColumn", $"{dataset.Name} v{data.Number} has no Label column; name the label column or set its role.");
        DatasetColumn? slice = null;
        if (request.SliceColumn is { Length: > 0 } sliceName)
        {
            slice = schema.FirstOrDefault(c => string.Equals(c.Name, sliceName.Trim(), StringComparison.OrdinalIgnoreCase))
                ?? throw Invalid("sliceColumn", $"{dataset.Name} v{data.Number} has no column named '{sliceName}'.");
            if (slice.Type is not (ColumnType.Categorical or ColumnType.Boolean))
                throw Invalid("sliceColumn", $"Slices are groups of a Categorical or Boolean column; '{slice.Name}' is {slice.Type}.");
        }
        var inputs = DatasetSchemas.WithLabel(schema, label.Name);
        var report = DatasetCompatibility.Check(inputs, ModelSignature.FromJson(version.Signature));
        if (!report.Compatible)
            throw Invalid("dataset", $"{dataset.Name} v{data.Number} cannot feed {model.Name} v{version.Number}: " +
                string.Join(" ", report.Issues.Where(i => i.Severity == CompatibilitySeverity.Error).Select(i => i.Message)));

        var features = report.Mappings.Sum(m => m.Columns.Count);
        var (repeats, seed) = ImportanceSettings(request, features);
        var run = new EvaluationRun
        {
            Id = Guid.CreateVersion7(), ModelVersionId = version.Id, DatasetVersionId = data.Id, LabelColumn = label.Name,
            Task = ClosedSet.Require(request.Task, "task"), Device = ClosedSet.Require(request.Device, "device") ?? EvaluationDevice.Auto, SliceColumn = slice?.Name, Threshold = threshold,
            BatchSize = batchSize, ImportanceRepeats = repeats, ImportanceSeed = seed, Status = EvaluationStatus.Queued, RequestedBy = actor.Current.Name,
            RequestedAtUtc = time.GetUtcNow().UtcDateTime, ConcurrencyStamp = Guid.NewGuid(),
        };
        db.EvaluationRuns.Add(run);
        using (AuditAmbient.BeginAction("evaluation.requested", "evaluationRun", run.Id.ToString(),
            $"{model.Name} v{version.Number} on {dataset.Name} v{data.Number}"))
            await db.SaveChangesAsync(ct);
        // The row commits first so the worker always finds it.
        run.JobId = jobs.EnqueueEvaluation(run.Id);
        await db.SaveChangesAsync(ct);
        return await GetAsync(run.Id, ct);
    }

    public async Task<EvaluationView> GetAsync(Guid id, CancellationToken ct = default)
    {
        actor.Current.RequireAnyRole(Readers);
        await using var db = await contexts.CreateDbContextAsync(ct);
        return (await Views(db.EvaluationRuns.AsNoTracking().Where(e => e.Id == id)).ToListAsync(ct)).Select(ToView).SingleOrDefault()
            ?? throw new NotFoundException($"Evaluation {id} does not exist.");
    }

    /// <summary>Newest first; optionally for one model, or one model version.</summary>
    public async Task<Page<EvaluationView>> ListAsync(PageRequest page, string? model = null, int? version = null, CancellationToken ct = default)
    {
        actor.Current.RequireAnyRole(Readers);
        await using var db = await contexts.CreateDbContextAsync(ct);
        var query = db.EvaluationRuns.AsNoTracking();
        if (model is not null)
        {
            var registered = await ModelRegistry.FindModelAsync(db.Models.AsNoTracking(), model, ct);
            query = query.Where(e => e.ModelVersion!.ModelId == registered.Id);
            if (version is { } v)
                query = query.Where(e => e.ModelVersion!.Number == v);
        }
        var total = await query.CountAsync(ct);
        var rows = await Views(query.OrderByDescending(e => e.RequestedAtUtc).Skip(page.Skip).Take(page.Take)).ToListAsync(ct);
        return new Page<EvaluationView>(rows.Select(ToView).ToList(), total);
    }

    /// <summary>Candidate against baseline: both finished, on the same dataset version so the figures are comparable.</summary>
    public async Task<EvaluationComparison> CompareAsync(Guid candidate, Guid baseline, IReadOnlyList<MetricThreshold>? gates, CancellationToken ct = default)
    {
        var a = await GetAsync(candidate, ct);
        var b = await GetAsync(baseline, ct);
        if (a.Status != EvaluationStatus.Succeeded || b.Status != EvaluationStatus.Succeeded)
            throw new ConflictException($"Both evaluations must have succeeded (candidate: {a.Status}, baseline: {b.Status}).");
        if ((a.Dataset, a.DatasetVersion, a.LabelColumn) != (b.Dataset, b.DatasetVersion, b.LabelColumn))
            throw Invalid("baseline", $"Compare evaluations on the same data: the candidate used {a.Dataset} v{a.DatasetVersion} ({a.LabelColumn}), the baseline {b.Dataset} v{b.DatasetVersion} ({b.LabelColumn}).");
        var deltas = a.Metrics!.Keys.Intersect(b.Metrics!.Keys).Order(StringComparer.Ordinal)
            .Select(m => new MetricDelta(m, a.Metrics[m], b.Metrics[m], a.Metrics[m] - b.Metrics[m])).ToList();
        IReadOnlyList<GateResult> results;
        try
        {
            results = MetricGates.Evaluate(a.Metrics, b.Metrics, gates ?? []);
        }
        catch (ArgumentException e)
        {
            throw Invalid("gates", e.Message.Replace($" (Parameter '{e.ParamName}')", "", StringComparison.Ordinal));
        }
        return new EvaluationComparison(a, b, deltas, results, results.All(r => r.Passed));
    }

    /// <summary>On by default up to <see cref="DefaultImportanceMaxFeatures"/> features; explicit on or off wins.</summary>
    private static (int? Repeats, int? Seed) ImportanceSettings(EvaluationRequest request, int features)
    {
        var repeats = request.ImportanceRepeats ?? DefaultImportanceRepeats;
        if (repeats is < 1 or > MaxImportanceRepeats)
            throw Invalid("importanceRepeats", $"Importance repeats are between 1 and {MaxImportanceRepeats}.");
        if (request.ImportanceSeed is < 0)
            throw Invalid("importanceSeed", "The importance seed is a non-negative integer.");
        if (!(request.Importance ?? features <= DefaultImportanceMaxFeatures))
            return (null, null);
        return (repeats, request.ImportanceSeed ?? Random.Shared.Next());
    }

    private sealed record Row(EvaluationRun Run, string Model, int ModelVersion, string Dataset, int DatasetVersion);

    private static IQueryable<Row> Views(IQueryable<EvaluationRun> runs) => runs.Select(e => new Row(
        e, e.ModelVersion!.Model!.Name, e.ModelVersion.Number, e.DatasetVersion!.Dataset!.Name, e.DatasetVersion.Number));

    private static EvaluationView ToView(Row row)
    {
        var e = row.Run;
        return new EvaluationView(e.Id, row.Model, row.ModelVersion, row.Dataset, row.DatasetVersion, e.LabelColumn, e.Task, e.Device,
            e.SliceColumn, e.Threshold, e.BatchSize, e.Status, e.Progress, e.Error,
            e.Metrics is null ? null : JsonSerializer.Deserialize<Dictionary<string, double>>(e.Metrics),
            e.Details is null ? null : JsonSerializer.Deserialize<JsonElement>(e.Details),
            e.Provenance is null ? null : JsonSerializer.Deserialize<JsonElement>(e.Provenance),
            e.RequestedBy, e.RequestedAtUtc, e.StartedAtUtc, e.CompletedAtUtc)
        {
            ImportanceRepeats = e.ImportanceRepeats, ImportanceSeed = e.ImportanceSeed,
        };
    }

    private static ValidationException Invalid(string field, string message) => new(message, new Dictionary<string, string[]> { [field] = [message] });
}
