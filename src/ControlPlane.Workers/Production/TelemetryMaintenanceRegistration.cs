using Microsoft.Extensions.DependencyInjection;

namespace ControlPlane.Workers.Production;

public static class TelemetryMaintenanceRegistration
{
    /// <summary>Compaction, retention and the sweep of telemetry, with their settings (<see cref="TelemetryMaintenanceOptions"/>).</summary>
    public static IServiceCollection AddTelemetryMaintenance(this IServiceCollection services)
    {
        const string section = TelemetryMaintenanceOptions.Section;
        services.AddOptions<TelemetryMaintenanceOptions>().BindConfiguration(section)
            .Validate(o => o.OrphanGracePeriod >= TimeSpan.FromHours(1), $"{section}:OrphanGracePeriod must be at least an hour, so no write in progress is taken for an orphan.")
            .Validate(o => o.MergedFileGracePeriod >= TimeSpan.Zero, $"{section}:MergedFileGracePeriod must not be negative.")
            .Validate(o => o.RowGroupRows > 0, $"{section}:RowGroupRows must be positive.")
            .ValidateOnStart();
        services.AddSingleton<TelemetryCompaction>();
        services.AddSingleton<TelemetryExpiry>();
        services.AddSingleton<TelemetrySweep>();
        return services;
    }
}
