using System.Text;
using ControlPlane.Domain.Common;
using ControlPlane.Domain.Comparisons;
using ControlPlane.Domain.Datasets;
using ControlPlane.Domain.Drift;
using ControlPlane.Domain.Evaluations;
using ControlPlane.Domain.Governance;
using ControlPlane.Domain.Persistence;
using ControlPlane.Domain.Production;
using ControlPlane.Domain.Production.Ingest;
using ControlPlane.Domain.Registry;
using ControlPlane.Domain.Training;
using Hangfire;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace ControlPlane.Workers.Demo;

/// <summary>
/// Builds the demo story through the real services and jobs, as the "demo" actor: monthly credit data where later
/// months drift, a model trained with ML.NET that training puts forward for review, a drift monitor run month by month
/// whose findings invalidate that request, a retrained version and its pending promotion request with the drift gate
/// failing for a reviewer to weigh. It waits for each job it starts (other workers run
/// them), so the audit trail tells the story in order. Only an instance without models gets it.
/// </summary>
public sealed class DemoSeedJob(IServiceScopeFactory scopes, IDbContextFactory<ControlPlaneDbContext> contexts, ILogger<DemoSeedJob> logger)
{
    public const string Model = "credit-risk";
    public const string Applications = "credit-applications";
    public const string Holdout = "credit-holdout";
    private const int RowsPerMonth = 3_000;
    private const int Seed = 2026;
    private static readonly TimeSpan JobTimeout = TimeSpan.FromMinutes(10);

    [AutomaticRetry(Attempts = 0)]
    [DisableConcurrentExecution(600)]
    public async Task RunAsync(CancellationToken ct)
    {
        await using (var db = await contexts.CreateDbContextAsync(ct))
            if (await db.Models.AnyAsync(ct))
            {
                logger.LogInformation("Demo data is loaded only into an instance without models; nothing done");
                return;
            }
        var demo = Actor.System("demo");
        await using var scope = Domain.Common.OperationScope.Begin(scopes, demo);
        using var origin = Domain.Audit.AuditAmbient.UseOrigin(Domain.Audit.AuditOrigin.From(demo, null, null));
        var services = scope.ServiceProvider;

        var catalog = services.GetRequiredService<DatasetCatalog>();
        await catalog.CreateAsync(Applications, "Monthly loan applications (generated): later months drift toward online applicants with lower incomes.", new Dictionary<string, string> { ["domain"] = "credit" }, ct);
        await catalog.CreateAsync(Holdout, "Labelled holdout from the training population (generated).", null, ct);
        ColumnSchemaChange[] schema = [new("applicant_id", null, ColumnRole.Id), new(CreditApplications.Label, ColumnType.Boolean, ColumnRole.Label)];
        await AddMonthAsync(catalog, Applications, 1, schema, ct);
        await catalog.AddVersionAsync(Holdout, Stream(CreditApplications.Csv(1, 1_500, Seed + 1)), "holdout.csv", schema, "generated, month 1 population", ct);

        var registry = services.GetRequiredService<ModelRegistry>();
        await registry.CreateModelAsync(Model, "Probability that a loan applicant defaults within 12 months.", new Dictionary<string, string> { ["team"] = "risk", ["tier"] = "1" }, ct);
        await services.GetRequiredService<PromotionPolicies>().SaveAsync(Model, new PolicySaveRequest(new PolicyRules
        {
            EvaluationDataset = Holdout,
            MetricGates = [new MetricThreshold("rocAuc", 0.7, null, null, true)],
            RequireModelCard = false, AllowOverride = true, OverrideRoles = [Domain.Identity.ControlPlaneRoles.ComplianceReviewer],
        }, "Demo: AUC on the holdout at least 0.70; reviewers may accept a failing gate with a reason; trained versions carry no model card yet"), ct);

        var training = services.GetRequiredService<TrainingService>();
        var features = CreditApplications.Numeric.Select(n => new TrainingFeature(n, FeatureTreatment.Numerical)).Append(new TrainingFeature(CreditApplications.Channel, FeatureTreatment.Categorical)).ToList();
        var spec = await training.CreateSpecAsync(new TrainingSpecRequest(Model, "monthly-lightgbm", TrainingTask.Binary, CreditApplications.Label, features,
            TrainerCatalog.LightGbm, new DatasetSelection(Applications), new Dictionary<string, double> { ["numberOfIterations"] = 100 }, Seed: 7,
            EvaluationDataset: new DatasetSelection(Holdout), Schedule: "0 4 1 * *", TimeZone: "UTC"), ct);
        var first = await TrainAsync(training, spec.Id, ct);

        var monitors = services.GetRequiredService<DriftMonitors>();
        var monitor = await monitors.CreateAsync(new DriftMonitorRequest("credit-applications-monthly", new DatasetRef(Applications, 1), CurrentDataset: Applications,
            Description: "New applications against the training month.", Model: Model, ModelVersion: first, Schedule: "0 6 * * *", TimeZone: "UTC"), ct);
        for (var month = 2; month <= 4; month++)
        {
            await AddMonthAsync(catalog, Applications, month, schema, ct);
            var run = await monitors.RunNowAsync(monitor.Id, ct);
            await WaitAsync(db => db.DriftRuns.Where(r => r.Id == run.Id).Select(r => r.Status == DriftRunStatus.Succeeded || r.Status == DriftRunStatus.Failed), $"drift run for month {month}", ct);
        }

        // The drift invalidates v1's pending request (its drift gate now fails); v2 is retrained on the newest month and put
        // to the reviewers with the drift in plain sight.
        var second = await TrainAsync(training, spec.Id, ct);
        try
        {
            await services.GetRequiredService<Promotions>().RequestAsync(new PromotionRequestInput(Model, second, new PromotionTarget(LifecycleStage.Production),
                "Retrained on April applications after the monitor found drift; the holdout AUC still clears the bar. Reviewers decide whether the drift gate may be overridden."), ct);
        }
        catch (ConflictException e)
        {
            logger.LogInformation("Demo: v{Version} was not requested: {Reason}", second, e.Message);
        }
        await services.GetRequiredService<Promotions>().SweepAsync(ct); // v1's request no longer stands: close it now, saying why
        var now = services.GetRequiredService<TimeProvider>().GetUtcNow().UtcDateTime;
        await SeedProductionAsync(services, first, now, ct);
        await SeedShadowAsync(services, second, now, ct);
        logger.LogInformation("Demo loaded: {Model} v{First} and v{Second}, {Months} months of applications, a drift history, a pending promotion request, live traffic and v2 in shadow", Model, first, second, 4);
    }

    /// <summary>
    /// v1 serves behind the alias "live": four months of its applications, scored by v1 itself, go through the ingest
    /// service with actuals arriving later; a production monitor on the alias watches them day by day.
    /// </summary>
    private async Task SeedProductionAsync(IServiceProvider services, int version, DateTime now, CancellationToken ct)
    {
        const string alias = LiveAlias;
        await services.GetRequiredService<ModelAliases>().SetAsync(Model, alias, version, "Demo: the version the serving app follows", ct);
        var traffic = await services.GetRequiredService<DemoTraffic>().ScoreAsync(Model, version, months: 4, perDay: TrafficPerDay, now, Seed, ct);
        var (predictions, actuals) = await DemoTelemetry.SendAsync(services.GetRequiredService<TelemetryIngest>(), Model, version, alias, traffic, now, ct);
        var monitors = services.GetRequiredService<ProductionMonitors>();
        await monitors.CreateAsync(Model, new ProductionMonitorRequest(ProductionMonitorName, ProductionTarget.Alias, alias, ProductionWindowSize.Day,
            Settings: new ProductionMonitorSettings { PerformanceMetric = "rocAuc", PerformanceThreshold = 0.7, LatencyP95Ms = 25, MaxErrorRate = 0.01, MinPredictions = 50 },
            Description: "Live applications scored through the alias, against the training data of the version that served them."), ct);
        await monitors.ComputeNowAsync(Model, ProductionMonitorName, ct);
        logger.LogInformation("Demo: {Predictions} predictions and {Actuals} actuals sent for {Model}@{Alias}", predictions, actuals, Model, alias);
    }

    /// <summary>
    /// v2 behind the alias "challenger", scoring the last <see cref="ShadowDays"/> days of the same applications in shadow
    /// (as the serving client's shadow mode logs them: same prediction ids, its own latency), and one comparison of it
    /// against the live champion over those days, waited for so that the model's Production tab shows its result.
    /// </summary>
    private async Task SeedShadowAsync(IServiceProvider services, int version, DateTime now, CancellationToken ct)
    {
        await services.GetRequiredService<ModelAliases>().SetAsync(Model, ChallengerComparisons.DefaultChallenger, version, "Demo: the retrained version, scored in shadow", ct);
        var from = now.Date.AddDays(-ShadowDays);
        var latency = new Random(Seed + 16);
        var traffic = (await services.GetRequiredService<DemoTraffic>().ScoreAsync(Model, version, months: 4, perDay: TrafficPerDay, now, Seed, ct))
            .Where(p => p.TimestampUtc >= from)
            .Select(p => p with { LatencyMs = Math.Round(5 + 7 * -Math.Log(1 - latency.NextDouble()), 2) })
            .ToList();
        var shadows = await DemoTelemetry.SendShadowAsync(services.GetRequiredService<TelemetryIngest>(), Model, version, ChallengerComparisons.DefaultChallenger, traffic, ct);
        var comparison = await services.GetRequiredService<ChallengerComparisons>().RequestAsync(Model,
            new ComparisonRequest(Champion: LiveAlias, Challenger: ChallengerComparisons.DefaultChallenger, From: from, To: now), ct);
        await WaitAsync(db => db.ChallengerComparisons.Where(c => c.Id == comparison.Id).Select(c => c.Status == ComparisonStatus.Succeeded || c.Status == ComparisonStatus.Failed), "challenger comparison", ct);
        logger.LogInformation("Demo: {Shadows} shadow predictions of {Model}@{Alias} v{Version}, compared with the live version", shadows, Model, ChallengerComparisons.DefaultChallenger, version);
    }

    public const string LiveAlias = "live";
    public const int ShadowDays = 28;
    public const string ProductionMonitorName = "live-traffic";
    private const int TrafficPerDay = 100;

    private static Task AddMonthAsync(DatasetCatalog catalog, string dataset, int month, IReadOnlyList<ColumnSchemaChange> schema, CancellationToken ct) =>
        catalog.AddVersionAsync(dataset, Stream(CreditApplications.Csv(month, RowsPerMonth, Seed)), $"applications-2026-{month:00}.csv", schema, $"generated applications, month {month}", ct);

    /// <summary>Trains from the spec's dataset (its newest version) and waits for the run and the evaluations it requested.</summary>
    private async Task<int> TrainAsync(TrainingService training, Guid spec, CancellationToken ct)
    {
        var run = await training.StartRunAsync(spec, ct);
        await WaitAsync(db => db.TrainingRuns.Where(r => r.Id == run.Id).Select(r => r.Status != TrainingRunStatus.Queued && r.Status != TrainingRunStatus.Running), "training run", ct);
        var done = await training.GetRunAsync(run.Id, ct);
        if (done.Status != TrainingRunStatus.Succeeded || done.ModelVersion is not { } version)
            throw new InvalidOperationException($"The demo training run ended {done.Status}: {done.Error}");
        foreach (var evaluation in new[] { done.EvaluationId, done.BaselineEvaluationId }.OfType<Guid>())
            await WaitAsync(db => db.EvaluationRuns.Where(e => e.Id == evaluation).Select(e => e.Status == EvaluationStatus.Succeeded || e.Status == EvaluationStatus.Failed), "evaluation", ct);
        return version;
    }

    private async Task WaitAsync(Func<ControlPlaneDbContext, IQueryable<bool>> done, string what, CancellationToken ct)
    {
        var deadline = DateTime.UtcNow + JobTimeout;
        while (true)
        {
            await using (var db = await contexts.CreateDbContextAsync(ct))
                if (await done(db).SingleAsync(ct))
                    return;
            if (DateTime.UtcNow > deadline)
                throw new TimeoutException($"The demo waited {JobTimeout.TotalMinutes} minutes for a {what}; is a worker listening on the default and gpu queues?");
            await Task.Delay(TimeSpan.FromMilliseconds(250), ct);
        }
    }

    private static MemoryStream Stream(string csv) => new(Encoding.UTF8.GetBytes(csv));
}
