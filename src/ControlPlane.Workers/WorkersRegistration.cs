using ControlPlane.Domain.Audit;
using ControlPlane.Domain.Jobs;
using ControlPlane.Domain.Persistence;
using ControlPlane.Domain.Registry;
using ControlPlane.Workers.Hosting;
using ControlPlane.Workers.Inspection;
using ControlPlane.Workers.Jobs;
using ControlPlane.Workers.Production;
using Hangfire;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace ControlPlane.Workers;

public static class WorkersRegistration
{
    /// <summary>Hangfire storage and client; with <paramref name="runServer"/> also a job server on <c>Workers:Queues</c>.</summary>
    public static IHostApplicationBuilder AddControlPlaneWorkers(this IHostApplicationBuilder builder, bool runServer)
    {
        var services = builder.Services;
        services.AddOptions<WorkerOptions>().BindConfiguration(WorkerOptions.Section)
            .Validate(o => o.Queues.All(q => JobQueues.All.Contains(q)), $"Workers:Queues may only contain: {string.Join(", ", JobQueues.All)}.")
            .Validate(o => o.WorkerCount >= 0, "Workers:WorkerCount must not be negative.")
            .Validate(o => o.ShutdownTimeout >= TimeSpan.Zero, "Workers:ShutdownTimeout must not be negative.")
            .Validate(o => o.InvisibilityTimeout >= TimeSpan.FromSeconds(5), "Workers:InvisibilityTimeout must be at least 5 seconds.")
            .Validate(o => o.LockTimeout >= TimeSpan.FromSeconds(5), "Workers:LockTimeout must be at least 5 seconds.")
            .ValidateOnStart();

        services.AddHangfire((sp, config) => config
            .SetDataCompatibilityLevel(CompatibilityLevel.Version_180)
            .UseSimpleAssemblyNameTypeSerializer()
            .UseRecommendedSerializerSettings()
            .UseControlPlaneStorage(sp.GetRequiredService<DatabaseSettings>(), sp.GetRequiredService<IOptions<WorkerOptions>>().Value)
            .UseFilter(new Telemetry.JobTelemetryFilter(sp.GetRequiredService<ILoggerFactory>(), sp.GetRequiredService<TimeProvider>()))
            .UseFilter(new AuditJobFilter(sp.GetRequiredService<AuditLog>(), sp.GetRequiredService<IOptions<WorkerOptions>>().Value.ResolveServerName()))
            .UseFilter(new JobUsageFilter(sp.GetRequiredService<IServiceScopeFactory>(), sp.GetRequiredService<TimeProvider>(),
                sp.GetRequiredService<IOptions<WorkerOptions>>().Value.ResolveServerName(), sp.GetRequiredService<ILoggerFactory>().CreateLogger<JobUsageFilter>())));

        if (runServer)
        {
            services.AddHostedService<RecurringJobsRegistrar>();
            services.AddHostedService<Demo.DemoOnStartup>();
            services.AddHostedService<JobServerHost>();
        }

        services.AddSingleton<HangfireRecurringJobStore>();
        services.AddSingleton<Domain.Schedules.IRecurringJobStore>(sp => sp.GetRequiredService<HangfireRecurringJobStore>());
        services.AddSingleton<IJobScheduler, HangfireJobScheduler>();
        services.AddSingleton<IJobMonitor, HangfireJobMonitor>();
        services.AddSingleton<IArtifactInspector, ArtifactInspector>();
        services.AddSingleton(sp => new Evaluation.MlNet.OnnxExportCache(sp.GetRequiredService<IOptions<WorkerOptions>>().Value.ResolveOnnxExportDirectory()));
        services.AddSingleton<Evaluation.EvaluationExecutor>();
        services.AddSingleton<Evaluation.IsolatedScorer>();
        services.AddOptions<Evaluation.EvaluationLimitOptions>().BindConfiguration(Evaluation.EvaluationLimitOptions.Section)
            .Validate(o => o.TimeLimit > TimeSpan.Zero && o.MaxMemoryMegabytes >= 0, "ControlPlane:Evaluation: TimeLimit must be positive and MaxMemoryMegabytes not negative.")
            .ValidateOnStart();
        services.AddTelemetryMaintenance();
        services.AddSingleton<Drift.DriftRunner>();
        services.AddSingleton(new Drift.ReferenceSampleCache());
        services.AddSingleton<Drift.DriftAlerts>();
        services.AddOptions<Production.WindowComputeOptions>().BindConfiguration(Production.WindowComputeOptions.Section)
            .Validate(o => o.SampleRows > 0 && o.LabelledRows > 0, $"{Production.WindowComputeOptions.Section}: SampleRows and LabelledRows must be positive.")
            .Validate(o => o.ActualsBefore >= TimeSpan.Zero && o.ActualsAfter >= TimeSpan.Zero, $"{Production.WindowComputeOptions.Section}: ActualsBefore and ActualsAfter must not be negative.")
            .ValidateOnStart();
        services.AddSingleton<Production.ProductionAlerts>();
        services.AddScoped<Production.ProductionWindowsRunner>();
        services.AddSingleton<Training.TrainingEvaluations>();
        services.AddSingleton<Training.TrainingExecutor>();
        services.AddSingleton<Training.IsolatedTrainer>();
        services.AddOptions<Training.TrainingLimitOptions>().BindConfiguration(Training.TrainingLimitOptions.Section)
            .Validate(o => o.TimeLimit > TimeSpan.Zero && o.MaxMemoryMegabytes >= 0, "ControlPlane:Training: TimeLimit must be positive and MaxMemoryMegabytes not negative.")
            .ValidateOnStart();
        services.AddHttpClient(nameof(Jobs.WebhookDeliveryJob), c => c.Timeout = TimeSpan.FromSeconds(15))
            .ConfigurePrimaryHttpMessageHandler(s => Jobs.WebhookConnections.Handler(s.GetRequiredService<ControlPlane.Domain.Webhooks.WebhookAddresses>()));
        services.AddScoped<WorkerDirectory>();
        services.AddScoped<Demo.DemoUsers>();
        services.AddScoped<Demo.DemoLauncher>();
        services.AddSingleton<Demo.DemoTraffic>();
        services.AddHealthChecks()
            .AddDbContextCheck<ControlPlaneDbContext>("database", tags: ["ready"])
            .AddCheck<JobStorageHealthCheck>("job-storage", tags: ["ready"])
            .AddCheck<ArtifactStoreHealthCheck>("artifact-store", Microsoft.Extensions.Diagnostics.HealthChecks.HealthStatus.Degraded, ["ready"]);
        return builder;
    }
}
