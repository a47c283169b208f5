using System.Globalization;
using System.Text.Json;
using ControlPlane.Domain.Artifacts;
using ControlPlane.Domain.Common;
using ControlPlane.Domain.Datasets;
using ControlPlane.Domain.Persistence;
using ControlPlane.Domain.Registry;
using ControlPlane.Domain.Training;
using ControlPlane.Workers.Evaluation.MlNet;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace ControlPlane.Workers.Training;

/// <summary>
/// Trains a run's spec on its dataset version, saves the ML.NET zip and its ONNX export (when the pipeline has one),
/// registers the zip as the model's next version with its lineage, then asks for the evaluations reviewers compare.
/// The registration is keyed by the run (the version's source names it), so a retry after a crash reuses it.
/// </summary>
public sealed class TrainingExecutor(
    IDbContextFactory<ControlPlaneDbContext> contexts,
    IArtifactStore store,
    ArtifactRollback rollback,
    IOptions<ArtifactOptions> artifactOptions,
    OnnxExportCache exports,
    IsolatedTrainer trainer,
    IServiceScopeFactory scopes,
    TrainingEvaluations evaluations)
{
    public static string SourceOf(Guid runId) => $"training-run:{runId}";

    public async Task<TrainingOutcome> ExecuteAsync(Guid runId, IProgress<TrainingProgress> progress, CancellationToken ct)
    {
        TrainingRun run;
        await using (var db = await contexts.CreateDbContextAsync(ct))
            run = await db.TrainingRuns.AsNoTracking().Include(r => r.Spec!).ThenInclude(s => s.Model).Include(r => r.DatasetVersion!).ThenInclude(v => v.Dataset)
                .SingleAsync(r => r.Id == runId, ct);
        var spec = run.Spec!;
        var data = run.DatasetVersion!;
        // The data may have changed since the spec was saved (a newer version of a named dataset): check again.
        var definition = TrainingRules.Validate(TrainingDefinition.From(spec).AsInput(), DatasetColumn.FromJson(data.Schema), $"{data.Dataset!.Name} v{data.Number}");
        var input = new TrainingInput(await store.GetLocalPathAsync(data.FileSha256, verify: true, ct), data.Format, DatasetColumn.FromJson(data.Schema), definition);

        var folder = Path.Combine(Path.GetTempPath(), $"controlplane-fit-{runId:N}-{Guid.NewGuid():N}");
        try
        {
            var trained = await trainer.TrainAsync(input, progress, folder, ct,
                spec.TimeLimitMinutes is { } minutes ? TimeSpan.FromMinutes(minutes) : null);
            return await RegisterAsync(run, definition, trained, progress, ct);
        }
        finally
        {
            if (Directory.Exists(folder))
                Directory.Delete(folder, recursive: true);
        }
    }

    private async Task<TrainingOutcome> RegisterAsync(TrainingRun run, TrainingDefinition definition, FittedModel trained, IProgress<TrainingProgress> progress,
        CancellationToken ct)
    {
        var (runId, spec, data) = (run.Id, run.Spec!, run.DatasetVersion!);
        progress.Report(new("exporting", 0.85));
        await using var scope = OperationScope.Begin(scopes, await PersonBehindAsync(runId, ct));
        var registry = scope.ServiceProvider.GetRequiredService<ModelRegistry>();

        await using var zip = File.OpenRead(trained.ZipPath);
        await using var staged = await registry.StageUploadAsync(zip, ct);
        var (onnxStatus, onnxMessage, onnx) = await ExportOnnxAsync(staged, ct);
        // The export's row is the version it is registered with (its onnxSha256 parameter).
        await using var pendingOnnx = onnx is null ? null : rollback.Pending(onnx);
        var onnxSha = onnx?.Artifact.Sha256;

        progress.Report(new("registering", 0.95));
        var version = await FindRegisteredAsync(runId, ct) ?? await registry.RegisterVersionAsync(spec.Model!.Name, staged, "model.zip",
            new VersionMetadata(TrainingDatasetVersionId: data.Id, ParentVersion: await LatestAsync(spec.ModelId, ct),
                Parameters: Parameters(run, definition, trained.Figures, trained.Training, onnxStatus, onnxSha), Metrics: trained.Figures.Metrics, Source: SourceOf(runId),
                Notes: onnxStatus == OnnxExportStatus.Exported ? null : $"No ONNX export: {onnxMessage}"), ct);
        pendingOnnx?.Committed();
        var (evaluation, baseline, note) = await evaluations.RequestAsync(scope.ServiceProvider, spec, version, ct);
        return new TrainingOutcome(version.Id, version.Version, trained.Figures.Metrics, trained.Figures.TrainingRows, trained.Figures.ValidationRows, onnxStatus, onnxMessage, onnxSha,
            (long)trained.Training.TotalMilliseconds, evaluation, baseline?.Evaluation, note);
    }

    /// <summary>ML.NET's ONNX export through the worker's export cache (kept only once ONNX Runtime loads it), stored beside the zip.</summary>
    private async Task<(OnnxExportStatus, string?, PublishedArtifact?)> ExportOnnxAsync(StagedArtifact zip, CancellationToken ct)
    {
        var export = exports.GetOrConvert(zip.Sha256, MlNetModel.Load(zip.Path));
        if (export.Path is null)
            return (OnnxExportStatus.NotExportable, export.Failure, null);
        await using var file = File.OpenRead(export.Path);
        await using var staged = await store.StageAsync(file, artifactOptions.Value.MaxUploadBytes, ct);
        return (OnnxExportStatus.Exported, null, await store.PublishAsync(staged, ct));
    }

    private async Task<ModelVersionView?> FindRegisteredAsync(Guid runId, CancellationToken ct)
    {
        await using var db = await contexts.CreateDbContextAsync(ct);
        var source = SourceOf(runId);
        var found = await db.Versions.AsNoTracking().Where(v => v.Source == source).Select(v => new { v.Model!.Name, v.Number }).SingleOrDefaultAsync(ct);
        if (found is null)
            return null;
        await using var scope = OperationScope.Begin(scopes, await PersonBehindAsync(runId, ct));
        return await scope.ServiceProvider.GetRequiredService<ModelRegistry>().GetVersionAsync(found.Name, found.Number, ct);
    }

    /// <summary>The run registers and evaluates on behalf of the person behind it, never as an anonymous job.</summary>
    private async Task<Domain.Common.Actor> PersonBehindAsync(Guid runId, CancellationToken ct)
    {
        await using var db = await contexts.CreateDbContextAsync(ct);
        return await TrainingRunActors.ForRunAsync(db, runId, ct);
    }

    private async Task<int?> LatestAsync(Guid modelId, CancellationToken ct)
    {
        await using var db = await contexts.CreateDbContextAsync(ct);
        var latest = await db.Models.Where(m => m.Id == modelId).Select(m => m.LatestVersionNumber).SingleAsync(ct);
        return latest > 0 ? latest : null;
    }

    private static Dictionary<string, string> Parameters(TrainingRun run, TrainingDefinition d, FitResult trained, TimeSpan training, OnnxExportStatus onnx, string? onnxSha)
    {
        static string N(double v) => v.ToString("R", CultureInfo.InvariantCulture);
        var parameters = new Dictionary<string, string>(StringComparer.Ordinal)
        {
            ["trainer"] = d.Trainer, ["task"] = d.Task.ToString(), ["labelColumn"] = d.LabelColumn,
            ["features"] = JsonSerializer.Serialize(d.Features.Select(f => $"{f.Name}:{f.Treatment}")),
            ["seed"] = d.Seed.ToString(CultureInfo.InvariantCulture),
            ["validation"] = d.CrossValidationFolds is { } k ? $"{k}-fold cross-validation" : $"holdout {N(d.ValidationFraction)}",
            ["trainingSpecId"] = run.SpecId.ToString(), ["trainingSpecHash"] = run.SpecHash, ["trainingRunId"] = run.Id.ToString(),
            ["trainingRows"] = trained.TrainingRows.ToString(CultureInfo.InvariantCulture),
            ["validationRows"] = trained.ValidationRows.ToString(CultureInfo.InvariantCulture),
            ["trainingSeconds"] = N(Math.Round(training.TotalSeconds, 3)), ["machine"] = Environment.MachineName,
            ["mlnetVersion"] = MlNetModel.Version, ["onnxExport"] = onnx.ToString(),
        };
        if (onnxSha is not null)
            parameters["onnxSha256"] = onnxSha;
        foreach (var (name, value) in d.Hyperparameters)
            parameters[name] = N(value);
        return parameters;
    }
}
