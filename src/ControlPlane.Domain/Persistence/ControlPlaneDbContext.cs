using ControlPlane.Domain.Audit;
using ControlPlane.Domain.Common;
using ControlPlane.Domain.Identity;
using ControlPlane.Domain.Jobs;
using ControlPlane.Domain.Registry;
using Microsoft.AspNetCore.DataProtection.EntityFrameworkCore;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Identity.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore;

namespace ControlPlane.Domain.Persistence;

public sealed class ControlPlaneDbContext(DbContextOptions<ControlPlaneDbContext> options)
    : IdentityDbContext<ControlPlaneUser, IdentityRole, string>(options), IDataProtectionKeyContext
{
    public DbSet<PersonalAccessToken> PersonalAccessTokens => Set<PersonalAccessToken>();
    public DbSet<WorkerSelfTest> WorkerSelfTests => Set<WorkerSelfTest>();
    public DbSet<DataProtectionKey> DataProtectionKeys => Set<DataProtectionKey>();
    public DbSet<AuditEvent> AuditEvents => Set<AuditEvent>();
    public DbSet<RegisteredModel> Models => Set<RegisteredModel>();
    public DbSet<ModelTag> Tags => Set<ModelTag>();
    public DbSet<ModelVersion> Versions => Set<ModelVersion>();
    public DbSet<StageTransition> StageTransitions => Set<StageTransition>();
    public DbSet<ModelAlias> Aliases => Set<ModelAlias>();
    public DbSet<Datasets.Dataset> Datasets => Set<Datasets.Dataset>();
    public DbSet<Datasets.DatasetTag> DatasetTags => Set<Datasets.DatasetTag>();
    public DbSet<Datasets.DatasetVersion> DatasetVersions => Set<Datasets.DatasetVersion>();
    public DbSet<Evaluations.EvaluationRun> EvaluationRuns => Set<Evaluations.EvaluationRun>();
    public DbSet<Drift.DriftMonitor> DriftMonitors => Set<Drift.DriftMonitor>();
    public DbSet<Drift.DriftRun> DriftRuns => Set<Drift.DriftRun>();
    public DbSet<Drift.Notification> Notifications => Set<Drift.Notification>();
    public DbSet<Webhooks.WebhookDelivery> WebhookDeliveries => Set<Webhooks.WebhookDelivery>();
    public DbSet<Webhooks.WebhookSubscription> WebhookSubscriptions => Set<Webhooks.WebhookSubscription>();
    public DbSet<Governance.PromotionPolicy> PromotionPolicies => Set<Governance.PromotionPolicy>();
    public DbSet<Governance.PromotionRequest> PromotionRequests => Set<Governance.PromotionRequest>();
    public DbSet<Governance.PromotionDecision> PromotionDecisions => Set<Governance.PromotionDecision>();
    public DbSet<Training.TrainingSpec> TrainingSpecs => Set<Training.TrainingSpec>();
    public DbSet<Training.TrainingRun> TrainingRuns => Set<Training.TrainingRun>();
    public DbSet<Schedules.ScheduleSetting> ScheduleSettings => Set<Schedules.ScheduleSetting>();
    public DbSet<Schedules.ScheduleProposal> ScheduleProposals => Set<Schedules.ScheduleProposal>();
    public DbSet<Production.TelemetrySegment> TelemetrySegments => Set<Production.TelemetrySegment>();
    public DbSet<Production.ProductionMonitor> ProductionMonitors => Set<Production.ProductionMonitor>();
    public DbSet<Production.ProductionWindow> ProductionWindows => Set<Production.ProductionWindow>();
    public DbSet<Identity.Oidc.OidcGroupMapping> OidcGroupMappings => Set<Identity.Oidc.OidcGroupMapping>();
    public DbSet<Comparisons.ChallengerComparison> ChallengerComparisons => Set<Comparisons.ChallengerComparison>();
    public DbSet<Costs.JobUsage> JobUsages => Set<Costs.JobUsage>();
    public DbSet<Costs.CostSetting> CostSettings => Set<Costs.CostSetting>();
    public DbSet<Registry.Permissions.ModelPermissionSet> ModelPermissions => Set<Registry.Permissions.ModelPermissionSet>();
    public DbSet<Identity.Sessions.UserSession> UserSessions => Set<Identity.Sessions.UserSession>();

    protected override void OnModelCreating(ModelBuilder builder)
    {
        base.OnModelCreating(builder);
        builder.ApplyConfigurationsFromAssembly(typeof(ControlPlaneDbContext).Assembly);
    }

    protected override void ConfigureConventions(ModelConfigurationBuilder configurationBuilder)
    {
        configurationBuilder.Properties<DateTime>().HaveConversion<UtcDateTimeConverter>();
        configurationBuilder.Properties<DateTime?>().HaveConversion<UtcDateTimeConverter>();
    }
}
