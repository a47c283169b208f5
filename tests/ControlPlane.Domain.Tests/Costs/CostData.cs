using ControlPlane.Domain.Costs;
using ControlPlane.Domain.Datasets;
using ControlPlane.Domain.Drift;
using ControlPlane.Domain.Evaluations;
using ControlPlane.Domain.Persistence;
using ControlPlane.Domain.Registry;
using ControlPlane.Domain.Training;
using ControlPlane.TestSupport;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace ControlPlane.Domain.Tests.Costs;

/// <summary>Rows written straight to the real database, shaped as the jobs leave them, for figures with known durations.</summary>
internal sealed class CostData(DomainHost host)
{
    private async Task<ControlPlaneDbContext> DbAsync() =>
        await host.Services.GetRequiredService<IDbContextFactory<ControlPlaneDbContext>>().CreateDbContextAsync();

    /// <summary>A registered model owned by <paramref name="owner"/> (the registry's service would want an artifact inspector).</summary>
    public async Task<Guid> ModelAsync(string name, string owner)
    {
        await using var db = await DbAsync();
        var model = new RegisteredModel { Id = Guid.NewGuid(), Name = name, NormalizedName = name.ToUpperInvariant(), Owner = owner, ConcurrencyStamp = Guid.NewGuid() };
        db.Models.Add(model);
        await db.SaveChangesAsync();
        return model.Id;
    }

    public async Task<Guid> UsageAsync(string kind, Guid? modelId, string worker, string queue, DateTime start, DateTime? end, Guid? runId = null)
    {
        await using var db = await DbAsync();
        var usage = new JobUsage
        {
            Id = Guid.CreateVersion7(), JobId = "1", Kind = kind, ModelId = modelId, RunId = runId, Worker = worker, Queue = queue, StartedAtUtc = start, EndedAtUtc = end,
            Outcome = end is null ? JobUsageOutcome.Running : JobUsageOutcome.Succeeded, WallMs = end is { } e ? (e - start).TotalMilliseconds : 0,
        };
        db.JobUsages.Add(usage);
        await db.SaveChangesAsync();
        return usage.Id;
    }

    public async Task<Guid> DatasetVersionAsync()
    {
        await using var db = await DbAsync();
        var dataset = new Dataset { Id = Guid.NewGuid(), Name = $"d{Guid.NewGuid():N}", NormalizedName = $"D{Guid.NewGuid():N}", Owner = "dana", LatestVersionNumber = 1 };
        var version = new DatasetVersion
        {
            Id = Guid.NewGuid(), DatasetId = dataset.Id, Number = 1, FileSha256 = new string('a', 64), FileName = "d.csv", RowCount = 10, Schema = "[]", CreatedBy = "dana",
        };
        db.Datasets.Add(dataset);
        db.DatasetVersions.Add(version);
        await db.SaveChangesAsync();
        return version.Id;
    }

    public async Task<Guid> VersionAsync(Guid modelId, int number)
    {
        await using var db = await DbAsync();
        var version = new ModelVersion
        {
            Id = Guid.NewGuid(), ModelId = modelId, Number = number, ArtifactSha256 = new string('b', 64), ArtifactFileName = "m.onnx", Signature = "{}", CreatedBy = "dana",
        };
        db.Versions.Add(version);
        await db.SaveChangesAsync();
        return version.Id;
    }

    public async Task PromoteAsync(Guid versionId, DateTime at)
    {
        await using var db = await DbAsync();
        db.StageTransitions.Add(new StageTransition
        {
            Id = Guid.NewGuid(), ModelVersionId = versionId, From = LifecycleStage.Staging, To = LifecycleStage.Production, ChangedBy = "rita", ChangedAtUtc = at,
        });
        await db.SaveChangesAsync();
    }

    public async Task<Guid> EvaluationAsync(Guid versionId, Guid datasetVersionId, string metrics)
    {
        await using var db = await DbAsync();
        var run = new EvaluationRun
        {
            Id = Guid.NewGuid(), ModelVersionId = versionId, DatasetVersionId = datasetVersionId, LabelColumn = "y", RequestedBy = "dana",
            Status = EvaluationStatus.Succeeded, Metrics = metrics,
        };
        db.EvaluationRuns.Add(run);
        await db.SaveChangesAsync();
        return run.Id;
    }

    public async Task<Guid> SpecAsync(Guid modelId, Guid datasetVersionId)
    {
        await using var db = await DbAsync();
        var datasetId = await db.DatasetVersions.Where(v => v.Id == datasetVersionId).Select(v => v.DatasetId).SingleAsync();
        var spec = new TrainingSpec
        {
            Id = Guid.NewGuid(), ModelId = modelId, Name = $"s{Guid.NewGuid():N}", LabelColumn = "y", Features = "[]", Trainer = "FastTree", Hyperparameters = "{}",
            TrainingDatasetId = datasetId, Hash = new string('c', 64), Owner = "dana",
        };
        db.TrainingSpecs.Add(spec);
        await db.SaveChangesAsync();
        return spec.Id;
    }

    public async Task<Guid> TrainingRunAsync(Guid specId, Guid? versionId, DateTime completed, Guid? evaluationId = null, Guid? baselineId = null,
        TrainingRunStatus status = TrainingRunStatus.Succeeded)
    {
        await using var db = await DbAsync();
        var run = new TrainingRun
        {
            Id = Guid.NewGuid(), SpecId = specId, SpecHash = new string('c', 64), Trigger = "manual", Status = status, ModelVersionId = versionId,
            EvaluationId = evaluationId, BaselineEvaluationId = baselineId, RequestedBy = "dana", RequestedAtUtc = completed.AddHours(-1),
            StartedAtUtc = completed.AddHours(-1), CompletedAtUtc = completed,
        };
        db.TrainingRuns.Add(run);
        await db.SaveChangesAsync();
        return run.Id;
    }

    public async Task<Guid> MonitorAsync(string name, Guid? versionId, Guid referenceId, string? schedule, DateTime created)
    {
        await using var db = await DbAsync();
        var monitor = new DriftMonitor
        {
            Id = Guid.NewGuid(), Name = name, NormalizedName = name.ToUpperInvariant(), ModelVersionId = versionId, ReferenceDatasetVersionId = referenceId,
            CurrentDatasetVersionId = referenceId, Settings = "{}", Schedule = schedule, Owner = "dana", CreatedAtUtc = created, UpdatedAtUtc = created,
        };
        db.DriftMonitors.Add(monitor);
        await db.SaveChangesAsync();
        return monitor.Id;
    }

    public async Task<Guid> DriftRunAsync(Guid monitorId, Guid referenceId, DateTime at, bool drift, DriftRunStatus status = DriftRunStatus.Succeeded)
    {
        await using var db = await DbAsync();
        var run = new DriftRun
        {
            Id = Guid.NewGuid(), MonitorId = monitorId, ReferenceDatasetVersionId = referenceId, CurrentDatasetVersionId = referenceId, Trigger = "schedule",
            Status = status, DatasetDrift = status == DriftRunStatus.Succeeded ? drift : null, RequestedBy = "system", RequestedAtUtc = at, StartedAtUtc = at,
            CompletedAtUtc = at.AddMinutes(10),
        };
        db.DriftRuns.Add(run);
        await db.SaveChangesAsync();
        return run.Id;
    }
}
