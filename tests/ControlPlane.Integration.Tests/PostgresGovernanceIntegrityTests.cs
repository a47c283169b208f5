using System.Globalization;
using System.Text;
using ControlPlane.Domain.Common;
using ControlPlane.Domain.Datasets;
using ControlPlane.Domain.Drift;
using ControlPlane.Domain.Evaluations;
using ControlPlane.Domain.Governance;
using ControlPlane.Domain.Identity;
using ControlPlane.Domain.Jobs;
using ControlPlane.Domain.Persistence;
using ControlPlane.Domain.Registry;
using ControlPlane.Domain.Training;
using ControlPlane.TestModels;
using ControlPlane.TestSupport;
using ControlPlane.Workers.Evaluation.MlNet;
using ControlPlane.Workers.Inspection;
using ControlPlane.Workers.Jobs;
using ControlPlane.Workers.Training;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace ControlPlane.Integration.Tests;

/// <summary>The high findings of issue 25 again on the PostgreSQL server: revoke chains, training's person, signing what was checked.</summary>
public sealed class PostgresGovernanceIntegrityTests : IAsyncLifetime
{
    private const string Password = "correct horse battery";
    private static readonly Actor Admin = new("admin-id", "admin", new HashSet<string> { ControlPlaneRoles.Admin }, true);
    private static readonly ModelCard Card = new("scoring", "none known", "low", "team");
    private readonly TempDirectory _exports = new("cp-pg-exports");
    private DomainHost _host = null!;

    public async Task InitializeAsync() => _host = await DomainHost.StartAsync(new Dictionary<string, string?>
    {
        ["Database:Provider"] = "PostgreSql",
        ["ConnectionStrings:ControlPlane"] = await PostgresServer.CreateDatabaseAsync(),
    }, s => s.AddSingleton<IArtifactInspector, ArtifactInspector>().AddSingleton<IJobScheduler, QueueOnly>()
        .AddSingleton(new OnnxExportCache(_exports.Path)).AddSingleton<TrainingEvaluations>().AddSingleton<TrainingExecutor>()
            .AddSingleton<IsolatedTrainer>().AddSingleton(Microsoft.Extensions.Options.Options.Create(new TrainingLimitOptions())));

    public async Task DisposeAsync()
    {
        await _host.DisposeAsync();
        _exports.Dispose();
    }

    [Fact]
    public async Task Champion_to_v1_v2_v1_then_revoking_v1_and_v2_removes_champion()
    {
        var scientist = await UserAsync("dana", ControlPlaneRoles.DataScientist);
        var reviewer = await UserAsync("rita", ControlPlaneRoles.ComplianceReviewer);
        await ModelAsync(scientist, "chain", 2);
        foreach (var version in new[] { 1, 2, 1 })
            await ApproveAsync(scientist, reviewer, "chain", version, new PromotionTarget(Alias: "champion"));

        await Later().As<Promotions>(reviewer).RevokeAsync("chain", 1, "withdrawn from service");
        Assert.Equal(2, Assert.Single(await _host.As<ModelAliases>(reviewer).ListAsync("chain")).Version);
        var second = await Later().As<Promotions>(reviewer).RevokeAsync("chain", 2, "withdrawn from service");

        Assert.Empty(await _host.As<ModelAliases>(reviewer).ListAsync("chain"));
        Assert.Contains("v1's approval for alias 'champion' was revoked", second.StatusReason);
    }

    [Fact]
    public async Task Who_runs_a_training_spec_is_the_creator_and_requester_of_its_version_and_cannot_approve_it()
    {
        var both = await UserAsync("bo", ControlPlaneRoles.DataScientist, ControlPlaneRoles.ComplianceReviewer);
        await _host.As<ModelRegistry>(both).CreateModelAsync("churn", null, null);
        await _host.As<PromotionPolicies>(Admin).SaveAsync("churn", new PolicySaveRequest(new PolicyRules { RequireModelCard = false }, "no card for trained models"));
        await _host.As<DatasetCatalog>(both).CreateAsync("customers", null, null);
        await _host.As<DatasetCatalog>(both).AddVersionAsync("customers", new MemoryStream(Encoding.UTF8.GetBytes(Churn(300))), "churn.csv", null, null);
        var spec = await _host.As<TrainingService>(both).CreateSpecAsync(new TrainingSpecRequest("churn", "nightly", TrainingTask.Binary, "churned",
            [new("tenure", FeatureTreatment.Numerical), new("contract", FeatureTreatment.Categorical)], TrainerCatalog.FastTree, new DatasetSelection("customers"),
            new Dictionary<string, double> { ["numberOfTrees"] = 10 }));
        var run = await _host.As<TrainingService>(both).StartRunAsync(spec.Id);

        _host.As<ActorContext>(Actor.System("job"));
        await ActivatorUtilities.CreateInstance<TrainingJob>(_host.Services).RunAsync(run.Id, CancellationToken.None);

        var request = Assert.Single((await _host.As<Promotions>(Admin).ListAsync(new PageRequest(0, 10), model: "churn")).Items);
        Assert.Equal("bo", request.RequestedBy);
        Assert.Equal("bo", (await _host.As<ModelRegistry>(both).GetVersionAsync("churn", 1)).CreatedBy);
        var refused = await Assert.ThrowsAsync<ForbiddenException>(() => _host.As<Promotions>(both).DecideAsync(request.Id, Approve()));
        Assert.Contains("You requested this promotion", refused.Message);
    }

    [Fact]
    public async Task Evaluation_gate_failing_then_evaluated_the_signature_binds_the_re_pinned_evidence()
    {
        var scientist = await UserAsync("dana", ControlPlaneRoles.DataScientist);
        var reviewer = await UserAsync("rita", ControlPlaneRoles.ComplianceReviewer);
        var version = await ModelAsync(scientist, "gated", 1);
        var data = await DatasetAsync(scientist, "holdout", "x\n1\n2\n");
        await _host.As<PromotionPolicies>(Admin).SaveAsync("gated", new PolicySaveRequest(new PolicyRules { EvaluationDataset = "holdout" }, "evaluate first"));
        var request = await _host.As<Promotions>(scientist).RequestAsync(new PromotionRequestInput("gated", 1, new PromotionTarget(LifecycleStage.Production), "ready"));
        await Assert.ThrowsAsync<ConflictException>(() => Later().As<Promotions>(reviewer).DecideAsync(request.Id, Approve()));

        await RecordAsync(db => db.EvaluationRuns.Add(new EvaluationRun
        {
            Id = Guid.CreateVersion7(), ModelVersionId = version, DatasetVersionId = data, LabelColumn = "x", Status = EvaluationStatus.Succeeded,
            Metrics = """{"accuracy":0.9}""", RequestedBy = "dana", RequestedAtUtc = Now(), CompletedAtUtc = Now(), ConcurrencyStamp = Guid.NewGuid(),
        }));
        var done = await Later().As<Promotions>(reviewer).DecideAsync(request.Id, Approve());

        Assert.Equal(PromotionStatus.Approved, done.Status);
        Assert.NotNull(done.Evidence.Evaluation);
        Assert.NotEqual(request.EvidenceHash, done.EvidenceHash);
        Assert.Equal(done.EvidenceHash, Assert.Single(done.Signatures).EvidenceHash);
    }

    [Fact]
    public async Task Drift_gate_failing_the_requester_cannot_disable_the_monitor_and_its_owner_disabling_it_invalidates_the_request()
    {
        var owner = await UserAsync("olga", ControlPlaneRoles.DataScientist);
        var requester = await UserAsync("dana", ControlPlaneRoles.DataScientist);
        var reviewer = await UserAsync("rita", ControlPlaneRoles.ComplianceReviewer);
        await ModelAsync(owner, "watched", 1);
        var reference = await DatasetAsync(owner, "inputs", "x\n1\n2\n");
        var request = new DriftMonitorRequest("watch", new DatasetRef("inputs", 1), CurrentDataset: "inputs", Model: "watched", ModelVersion: 1);
        var monitor = await _host.As<DriftMonitors>(owner).CreateAsync(request);
        await RecordAsync(db =>
        {
            var run = new DriftRun
            {
                Id = Guid.CreateVersion7(), MonitorId = monitor.Id, ReferenceDatasetVersionId = reference, Trigger = "manual", Status = DriftRunStatus.Succeeded,
                DatasetDrift = true, DriftShare = 1, DriftedColumns = 1, RequestedBy = "olga", RequestedAtUtc = Now(), CompletedAtUtc = Now(),
            };
            db.DriftRuns.Add(run);
            db.DriftMonitors.Single(m => m.Id == monitor.Id).LastRunId = run.Id;
        });
        var pending = await _host.As<Promotions>(requester).RequestAsync(new PromotionRequestInput("watched", 1, new PromotionTarget(LifecycleStage.Production), "ready"));
        Assert.False(Assert.Single(pending.Gates, g => g.Key == "drift").Passed);

        await Assert.ThrowsAsync<ForbiddenException>(() => _host.As<DriftMonitors>(requester).UpdateAsync(monitor.Id, request with { Enabled = false }));
        await Later().As<DriftMonitors>(owner).UpdateAsync(monitor.Id, request with { Enabled = false });

        await Assert.ThrowsAsync<ConflictException>(() => Later().As<Promotions>(reviewer).DecideAsync(pending.Id, Approve()));
        var closed = await _host.As<Promotions>(reviewer).GetAsync(pending.Id);
        Assert.Equal(PromotionStatus.Invalidated, closed.Status);
        Assert.Contains("watch was disabled or unlinked", closed.StatusReason);
    }

    private static DecisionInput Approve() => new(DecisionKind.Approve, SignatureMeaning.Approved, "evidence reviewed", Password);

    /// <summary>The host's clock stands still; a step later in the scenario is a second later.</summary>
    private DomainHost Later()
    {
        _host.Time.Advance(TimeSpan.FromSeconds(1));
        return _host;
    }

    private DateTime Now() => _host.Time.GetUtcNow().UtcDateTime;

    private async Task<Actor> UserAsync(string name, params string[] roles)
    {
        var user = await _host.As<UserAdministration>(Admin).CreateAsync(new NewUser(name, $"{name}@example.test", Password, roles));
        Later();
        return new Actor(user.Id, user.UserName, roles.ToHashSet(), true);
    }

    private async Task<Guid> ModelAsync(Actor author, string name, int versions)
    {
        var registry = _host.As<ModelRegistry>(author);
        await registry.CreateModelAsync(name, null, null);
        ModelVersionView? last = null;
        for (var i = 0; i < versions; i++)
            last = await registry.RegisterVersionAsync(name, new MemoryStream(HandBuiltOnnx.Identity()), "m.onnx", new VersionMetadata(ModelCard: Card));
        return last!.Id;
    }

    private async Task<Guid> DatasetAsync(Actor author, string name, string csv)
    {
        await _host.As<DatasetCatalog>(author).CreateAsync(name, null, null);
        return (await _host.As<DatasetCatalog>(author).AddVersionAsync(name, new MemoryStream(Encoding.UTF8.GetBytes(csv)), "data.csv", null, null)).Id;
    }

    private async Task ApproveAsync(Actor scientist, Actor reviewer, string model, int version, PromotionTarget target)
    {
        var request = await Later().As<Promotions>(scientist).RequestAsync(new PromotionRequestInput(model, version, target, "ready"));
        await Later().As<Promotions>(reviewer).DecideAsync(request.Id, Approve());
    }

    /// <summary>Writes rows as a job would (an evaluation or drift run that finished).</summary>
    private async Task RecordAsync(Action<ControlPlaneDbContext> write)
    {
        await using var db = await _host.Services.GetRequiredService<IDbContextFactory<ControlPlaneDbContext>>().CreateDbContextAsync();
        write(db);
        await db.SaveChangesAsync();
    }

    /// <summary>Churn rows from a known rule: long tenure and yearly contracts churn less.</summary>
    private static string Churn(int rows)
    {
        var random = new Random(7);
        var csv = new StringBuilder("tenure,contract,churned\n");
        for (var i = 0; i < rows; i++)
        {
            var (tenure, contract) = (random.Next(0, 73), random.Next(2) == 0 ? "monthly" : "yearly");
            var churned = random.NextDouble() < 1 / (1 + Math.Exp(-(2 - 0.08 * tenure + (contract == "monthly" ? 1 : -1))));
            csv.Append(CultureInfo.InvariantCulture, $"{tenure},{contract},{(churned ? "true" : "false")}\n");
        }
        return csv.ToString();
    }

    /// <summary>Jobs are run by the test itself; the job system only hands out ids.</summary>
    private sealed class QueueOnly : IJobScheduler
    {
        private static string Id() => $"job-{Guid.NewGuid():N}";
        public string EnqueueWorkerSelfTest(Guid selfTestId, string queue) => Id();
        public string EnqueueDatasetProfile(Guid versionId, Guid runId) => Id();
        public string EnqueueEvaluation(Guid evaluationId) => Id();
        public string EnqueueDriftRun(Guid runId) => Id();
        public void ScheduleDriftMonitor(Guid monitorId, string cron, TimeZoneInfo timeZone) { }
        public void UnscheduleDriftMonitor(Guid monitorId) { }
        public string EnqueueTraining(Guid runId) => Id();
        public void ScheduleTrainingSpec(Guid specId, string cron, TimeZoneInfo timeZone) { }
        public void UnscheduleTrainingSpec(Guid specId) { }
        public string EnqueueProductionWindows(Guid monitorId) => Id();
        public string EnqueueChallengerComparison(Guid comparisonId) => Id();
        public string EnqueueWebhookDelivery(Guid deliveryId) => Id();
    }
}
