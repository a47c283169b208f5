using ControlPlane.Domain.Artifacts;
using ControlPlane.Domain.Audit;
using ControlPlane.Domain.Common;
using ControlPlane.Domain.Datasets;
using ControlPlane.Domain.Identity;
using ControlPlane.Domain.Jobs;
using ControlPlane.Domain.Persistence;
using ControlPlane.Domain.Production;
using ControlPlane.Domain.Registry;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;

namespace ControlPlane.Domain;

public static class DomainRegistration
{
    /// <summary>Database (provider from <c>Database:Provider</c>), migrations on start, and the use-case services.</summary>
    public static IHostApplicationBuilder AddControlPlaneDomain(this IHostApplicationBuilder builder)
    {
        var services = builder.Services;
        services.AddOptions<ControlPlaneOptions>().BindConfiguration(ControlPlaneOptions.Section)
            .Validate(o => !string.IsNullOrWhiteSpace(o.DataDirectory), "ControlPlane:DataDirectory must not be empty.")
            .ValidateOnStart();
        services.AddOptions<DatabaseOptions>().BindConfiguration(DatabaseOptions.Section);

        var settings = DatabaseSettings.From(builder.Configuration, builder.Environment.ContentRootPath);
        services.AddSingleton(settings);
        services.AddDbContextFactory<ControlPlaneDbContext>((sp, o) =>
            ControlPlaneDatabase.Configure(o, settings.Provider, settings.ConnectionString, sp.GetRequiredService<TimeProvider>(), sp.GetRequiredService<AuditKeyRing>()));
        services.AddHostedService<DatabaseMigrator>();
        services.AddHostedService<AuditKeyRotation>();
        services.AddOptions<Hosting.MemoryTrimOptions>().BindConfiguration(Hosting.MemoryTrimOptions.Section)
            .Validate(o => o.CheckInterval > TimeSpan.Zero && o.TrimAboveMegabytes >= 0, "ControlPlane:Memory: CheckInterval must be positive and TrimAboveMegabytes not negative.")
            .ValidateOnStart();
        services.AddSingleton<Hosting.MemoryTrimmer>();
        services.AddHostedService(sp => sp.GetRequiredService<Hosting.MemoryTrimmer>());

        services.TryAddSingleton(TimeProvider.System);
        // Shared by web and worker processes through the database: cookies, and secrets stored encrypted (webhook keys).
        services.AddDataProtection().SetApplicationName("ControlPlane").PersistKeysToDbContext<ControlPlaneDbContext>();
        services.AddScoped<ActorContext>();
        services.AddScoped<IActorContext>(sp => sp.GetRequiredService<ActorContext>());
        services.AddScoped<AccessTokenService>();
        services.AddSingleton<SecurityGeneration>();
        services.AddOptions<SignInLimits>().BindConfiguration(SignInLimits.Section)
            .Validate(o => o.PerClient > 0 && o.PerAccount > 0 && o.Window > TimeSpan.Zero, "ControlPlane:RateLimits: PerClient, PerAccount and Window must be positive.").ValidateOnStart();
        services.AddSingleton<SignInThrottle>();
        services.AddOptions<Webhooks.WebhookNetworkOptions>().BindConfiguration(Webhooks.WebhookNetworkOptions.Section);
        services.AddSingleton<Webhooks.WebhookAddresses>();
        services.AddScoped<UserAdministration>();
        services.AddScoped<WorkerSelfTestService>();
        services.AddOptions<AuditOptions>().BindConfiguration(AuditOptions.Section)
            .Validate(o => o.IsValid, "ControlPlane:Audit:DigestIntervalMinutes must be 1-60 and divide 60.").ValidateOnStart();
        services.AddSingleton(sp => new AuditKeyRing(AuditKeyDirectory(sp), sp.GetRequiredService<IOptions<AuditOptions>>().Value.ActiveKeyId, sp.GetRequiredService<TimeProvider>()));
        services.AddSingleton(sp => new AuditDigestSigner(AuditKeyDirectory(sp)));
        services.AddSingleton<AuditLog>();
        services.AddSingleton<AuditVerifier>();
        services.AddSingleton<AuditDigests>();
        services.AddSingleton<AuditFacetCache>();
        services.AddScoped<AuditTrail>();
        services.AddArtifactStore();
        services.AddTelemetryStore();
        Production.Ingest.IngestRegistration.AddTelemetryIngest(services);
        services.AddScoped<ModelRegistry>();
        services.AddScoped<ModelAliases>();
        services.AddScoped<Registry.Permissions.ModelPermissions>();
        services.AddScoped<Identity.Sessions.UserSessions>();
        services.AddSingleton<AliasWatch>();
        services.AddOptions<DatasetOptions>().BindConfiguration(DatasetOptions.Section)
            .Validate(o => o.MaxUploadBytes > 0 && o.MaxColumns > 0 && o.MaxRows > 0 && o.MaxRowGroupRows > 0, "ControlPlane:Datasets limits must be positive.").ValidateOnStart();
        services.AddSingleton<DatasetProfiling>();
        services.AddScoped<DatasetCatalog>();
        services.AddScoped<Evaluations.EvaluationService>();
        services.AddScoped<Drift.DriftMonitors>();
        services.AddScoped<Production.ProductionMonitors>();
        services.AddScoped<Comparisons.ChallengerComparisons>();
        services.AddScoped<Production.TelemetryRetention>();
        services.AddScoped<Production.LoadFailureReports>();
        services.AddScoped<Drift.Notifications>();
        services.AddScoped<Governance.PromotionPolicies>();
        services.AddScoped<Governance.Promotions>();
        services.AddScoped<Governance.ProductionHistoryReader>();
        services.AddScoped<Webhooks.WebhookSubscriptions>();
        services.AddScoped<Training.TrainingService>();
        services.AddScoped<Training.ITrainingPromotionHook, Governance.TrainedVersionPromotion>();
        services.AddScoped<Dashboard.DashboardQueries>();
        services.AddScoped<Search.GlobalSearch>();
        services.TryAddSingleton<IJobMonitor, NoJobMonitor>();
        services.AddSingleton<Live.ILiveStateSource, Live.DatabaseLiveStateSource>();
        services.AddSingleton<Live.ChangeFeed>();
        services.AddSingleton<Live.IProgressNotifier>(sp => sp.GetRequiredService<Live.ChangeFeed>());
        services.AddOptions<Schedules.ScheduleOptions>().BindConfiguration(Schedules.ScheduleOptions.Section);
        services.AddSingleton<Schedules.BuiltInSchedules>();
        services.AddScoped<Schedules.Schedules>();
        services.AddScoped<Schedules.ScheduleProposals>();
        services.AddOptions<Costs.CostOptions>().BindConfiguration(Costs.CostOptions.Section)
            .Validate(o => Costs.CostOptionsRules.Valid(o), Costs.CostOptionsRules.Message).ValidateOnStart();
        services.AddScoped<Costs.Costs>();
        services.AddScoped<Costs.CostRates>();
        services.AddScoped<Costs.CostBudgets>();
        services.AddScoped<Costs.JobUsageLog>();
        services.AddSingleton<FirstRunSetup>();
        services.AddOptions<BootstrapOptions>().BindConfiguration(BootstrapOptions.Section);
        services.AddSingleton<BootstrapAdminSeeder>();
        services.AddOptions<Identity.Oidc.OidcSettings>().BindConfiguration(Identity.Oidc.OidcSettings.Section);
        services.AddScoped<Identity.Oidc.OidcGroupMappings>();
        services.AddSingleton<Identity.Oidc.OidcSignIns>();
        services.AddSingleton<Identity.Oidc.IdpReauthentications>();
        services.AddIdentityCore<ControlPlaneUser>(IdentityRules.Apply)
            .AddRoles<IdentityRole>()
            .AddEntityFrameworkStores<ControlPlaneDbContext>();
        return builder;
    }

    private static string AuditKeyDirectory(IServiceProvider sp) =>
        Path.GetFullPath(sp.GetRequiredService<IOptions<AuditOptions>>().Value.KeyDirectory, sp.GetRequiredService<DatabaseSettings>().DataDirectory);
}
