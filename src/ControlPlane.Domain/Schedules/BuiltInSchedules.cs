using ControlPlane.Domain.Audit;
using Microsoft.Extensions.Options;

namespace ControlPlane.Domain.Schedules;

/// <summary>The configured defaults of the built-in jobs, used until an admin changes them.</summary>
public sealed class BuiltInSchedules(IOptions<AuditOptions> audit, IOptions<Production.ProductionOptions> production)
{
    public const string PromotionSweepCron = "*/15 * * * *";
    public const string ArtifactSweepCron = "30 3 * * *";

    public string DefaultCron(ScheduleId id) => id.Kind switch
    {
        ScheduleKind.AuditDigest => audit.Value.DigestSchedule,
        ScheduleKind.PromotionSweep => PromotionSweepCron,
        ScheduleKind.ArtifactSweep => ArtifactSweepCron,
        ScheduleKind.TelemetryMaintenance => production.Value.MaintenanceSchedule,
        ScheduleKind.ProductionWindows => production.Value.WindowsSchedule,
        _ => throw new ArgumentOutOfRangeException(nameof(id), $"{id} is not a built-in job."),
    };
}
