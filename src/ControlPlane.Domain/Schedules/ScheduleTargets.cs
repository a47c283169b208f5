using ControlPlane.Domain.Common;
using ControlPlane.Domain.Persistence;
using ControlPlane.Domain.Registry.Permissions;
using Microsoft.EntityFrameworkCore;

namespace ControlPlane.Domain.Schedules;

/// <summary>Loads the rows that own schedules, tracked for an edit or untracked for the list.</summary>
internal static class ScheduleTargets
{
    public static async Task<ScheduleTarget> LoadAsync(ControlPlaneDbContext db, ScheduleId id, BuiltInSchedules builtIns, string user, DateTime now, CancellationToken ct)
    {
        switch (id.Kind)
        {
            case ScheduleKind.DriftMonitor:
                var monitor = await db.DriftMonitors.SingleOrDefaultAsync(m => m.Id == id.SubjectId, ct)
                    ?? throw new NotFoundException($"Drift monitor {id.SubjectId} does not exist.");
                var model = monitor.ModelVersionId is { } version
                    ? await db.Versions.AsNoTracking().Where(v => v.Id == version).Select(v => v.Model!).SingleAsync(ct) : null;
                return new MonitorTarget(monitor, model, model is null ? [] : (await ModelPermissionCheck.RulesAsync(db, model, ct)).Owners);
            case ScheduleKind.TrainingSpec:
                var spec = await db.TrainingSpecs.Include(s => s.Model).SingleOrDefaultAsync(s => s.Id == id.SubjectId, ct)
                    ?? throw new NotFoundException($"Training spec {id.SubjectId} does not exist.");
                return new SpecTarget(spec, spec.Model!, (await ModelPermissionCheck.RulesAsync(db, spec.Model!, ct)).Owners);
            default:
                return new BuiltInTarget(id, await SettingAsync(db, id, user, now, ct), builtIns.DefaultCron(id));
        }
    }

    /// <summary>The tracked setting row of a schedule, added (unsaved) when it has none yet.</summary>
    public static async Task<ScheduleSetting> SettingAsync(ControlPlaneDbContext db, ScheduleId id, string user, DateTime now, CancellationToken ct)
    {
        var key = id.ToString();
        var setting = db.ScheduleSettings.Local.FirstOrDefault(s => s.Id == key) ?? await db.ScheduleSettings.SingleOrDefaultAsync(s => s.Id == key, ct);
        if (setting is null)
        {
            setting = new ScheduleSetting { Id = key, UpdatedBy = user, UpdatedAtUtc = now, ConcurrencyStamp = Guid.NewGuid() };
            db.ScheduleSettings.Add(setting);
        }
        return setting;
    }

    /// <summary>Every schedule: monitors and specs that have a cron, and the built-in jobs.</summary>
    public static async Task<(List<ScheduleTarget> Targets, Dictionary<string, ScheduleSetting> Settings)> LoadAllAsync(ControlPlaneDbContext db, BuiltInSchedules builtIns, CancellationToken ct)
    {
        var monitors = await db.DriftMonitors.AsNoTracking().Where(m => m.Schedule != null)
            .Select(m => new { Monitor = m, Model = m.ModelVersion == null ? null : m.ModelVersion.Model })
            .ToListAsync(ct);
        var specs = await db.TrainingSpecs.AsNoTracking().Where(s => s.Schedule != null).Include(s => s.Model).ToListAsync(ct);
        var settings = await db.ScheduleSettings.AsNoTracking().ToDictionaryAsync(s => s.Id, ct);
        var permissions = await db.ModelPermissions.AsNoTracking().ToDictionaryAsync(p => p.ModelId, ct);
        IReadOnlyList<string> OwnersOf(Registry.RegisteredModel? model) => model is null ? []
            : permissions.TryGetValue(model.Id, out var set) ? ModelPermissionRules.From(set).Owners : ModelPermissionRules.Implied(model).Owners;
        var targets = new List<ScheduleTarget>();
        targets.AddRange(monitors.Select(m => new MonitorTarget(m.Monitor, m.Model, OwnersOf(m.Model))));
        targets.AddRange(specs.Select(s => new SpecTarget(s, s.Model!, OwnersOf(s.Model))));
        targets.AddRange(ScheduleId.BuiltIns.Select(id => new BuiltInTarget(id,
            settings.GetValueOrDefault(id.ToString()) ?? new ScheduleSetting { Id = id.ToString(), UpdatedBy = "" }, builtIns.DefaultCron(id))));
        return (targets, settings);
    }
}
