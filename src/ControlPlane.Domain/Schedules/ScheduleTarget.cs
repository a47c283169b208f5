using ControlPlane.Domain.Drift;
using ControlPlane.Domain.Training;

namespace ControlPlane.Domain.Schedules;

/// <summary>
/// The row that owns a schedule's cron, time zone and on/off switch: a monitor, a spec, or the setting of a built-in job.
/// Edits go through here so every kind changes the same way.
/// </summary>
internal abstract class ScheduleTarget(ScheduleId id)
{
    public ScheduleId Id { get; } = id;
    public abstract string Subject { get; }
    public abstract string? Link { get; }
    public abstract string? Cron { get; set; }
    public abstract string TimeZone { get; set; }
    public abstract bool Enabled { get; set; }
    /// <summary>Who may propose changes besides admins: the owner of the monitor or spec, and the owners of its model.</summary>
    public virtual bool IsOwnedBy(string user) => false;
    /// <summary>The model whose monitor or spec this is, and the restrictable action a change of its schedule takes.</summary>
    public virtual (Registry.RegisteredModel Model, Registry.Permissions.ModelAction Action)? Governed => null;
    public virtual string? Note => null;
    public abstract void Touch(string user, DateTime now);
}

internal sealed class MonitorTarget(DriftMonitor monitor, Registry.RegisteredModel? model, IReadOnlyList<string> modelOwners) : ScheduleTarget(ScheduleId.ForMonitor(monitor.Id))
{
    public override string Subject => $"Drift monitor {monitor.Name}";
    public override string? Link => $"/drift/monitors/{monitor.Id}";
    public override string? Cron { get => monitor.Schedule; set => monitor.Schedule = value; }
    public override string TimeZone { get => monitor.TimeZone; set => monitor.TimeZone = value; }
    public override bool Enabled { get => monitor.Enabled; set => monitor.Enabled = value; }
    public override bool IsOwnedBy(string user) => monitor.Owner == user || modelOwners.Contains(user, StringComparer.OrdinalIgnoreCase);
    public override (Registry.RegisteredModel Model, Registry.Permissions.ModelAction Action)? Governed => model is null ? null : (model, Registry.Permissions.ModelAction.EditMonitors);
    public override string? Note => model?.OnHold == true ? "The watched model is on hold: scheduled runs are skipped." : null;

    public override void Touch(string user, DateTime now) => (monitor.UpdatedAtUtc, monitor.ConcurrencyStamp) = (now, Guid.NewGuid());
}

internal sealed class SpecTarget(TrainingSpec spec, Registry.RegisteredModel model, IReadOnlyList<string> modelOwners) : ScheduleTarget(ScheduleId.ForSpec(spec.Id))
{
    public override string Subject => $"Training {model.Name}/{spec.Name}";
    public override string? Link => $"/training/specs/{spec.Id}";
    public override string? Cron { get => spec.Schedule; set => spec.Schedule = value; }
    public override string TimeZone { get => spec.TimeZone; set => spec.TimeZone = value; }
    public override bool Enabled { get => spec.Enabled; set => spec.Enabled = value; }
    public override bool IsOwnedBy(string user) => spec.Owner == user || modelOwners.Contains(user, StringComparer.OrdinalIgnoreCase);
    public override (Registry.RegisteredModel Model, Registry.Permissions.ModelAction Action)? Governed => (model, Registry.Permissions.ModelAction.EditSpecs);

    public override void Touch(string user, DateTime now) => (spec.UpdatedAtUtc, spec.ConcurrencyStamp) = (now, Guid.NewGuid());
}

internal sealed class BuiltInTarget(ScheduleId id, ScheduleSetting setting, string defaultCron) : ScheduleTarget(id)
{
    public override string Subject => Id.Kind switch
    {
        ScheduleKind.AuditDigest => "Audit digest (built-in)",
        ScheduleKind.PromotionSweep => "Promotion sweep (built-in)",
        ScheduleKind.ArtifactSweep => "Unreferenced artifact sweep (built-in)",
        ScheduleKind.TelemetryMaintenance => "Telemetry compaction and retention (built-in)",
        ScheduleKind.ProductionWindows => "Production monitor windows (built-in)",
        _ => throw new InvalidOperationException($"{Id} is not a built-in job."),
    };

    public override string? Link => Id.Kind switch
    {
        ScheduleKind.AuditDigest or ScheduleKind.ArtifactSweep => "/audit",
        ScheduleKind.PromotionSweep => "/promotions",
        ScheduleKind.TelemetryMaintenance => null,
        ScheduleKind.ProductionWindows => "/models",
        _ => throw new InvalidOperationException($"{Id} is not a built-in job."),
    };
    public override string? Cron { get => setting.Cron ?? defaultCron; set => setting.Cron = value; }
    public override string TimeZone { get => setting.TimeZone ?? TimeZoneInfo.Utc.Id; set => setting.TimeZone = value; }
    public override bool Enabled { get => !setting.Paused; set => setting.Paused = !value; }

    public override void Touch(string user, DateTime now) => (setting.UpdatedBy, setting.UpdatedAtUtc, setting.ConcurrencyStamp) = (user, now, Guid.NewGuid());
}
