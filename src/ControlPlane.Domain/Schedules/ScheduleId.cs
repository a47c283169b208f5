using ControlPlane.Domain.Common;

namespace ControlPlane.Domain.Schedules;

public enum ScheduleKind { DriftMonitor, TrainingSpec, AuditDigest, PromotionSweep, ArtifactSweep, TelemetryMaintenance, ProductionWindows }

/// <summary>The stable id of a recurring job: <c>drift-monitor:{guid}</c>, <c>training-spec:{guid}</c>, <c>audit-digest</c>, <c>promotion-sweep</c>, <c>artifact-sweep</c>, <c>telemetry-maintenance</c> or <c>production-windows</c>.</summary>
public sealed record ScheduleId(ScheduleKind Kind, Guid? SubjectId)
{
    public const string AuditDigest = "audit-digest";
    public const string PromotionSweep = "promotion-sweep";
    public const string ArtifactSweep = "artifact-sweep";
    public const string TelemetryMaintenance = "telemetry-maintenance";
    public const string ProductionWindows = "production-windows";
    private const string DriftPrefix = "drift-monitor:";
    private const string TrainingPrefix = "training-spec:";

    public static ScheduleId ForMonitor(Guid id) => new(ScheduleKind.DriftMonitor, id);
    public static ScheduleId ForSpec(Guid id) => new(ScheduleKind.TrainingSpec, id);
    public static IReadOnlyList<ScheduleId> BuiltIns { get; } = [new(ScheduleKind.AuditDigest, null), new(ScheduleKind.PromotionSweep, null), new(ScheduleKind.ArtifactSweep, null),
        new(ScheduleKind.TelemetryMaintenance, null), new(ScheduleKind.ProductionWindows, null)];

    public bool IsBuiltIn => SubjectId is null;

    public override string ToString() => Kind switch
    {
        ScheduleKind.DriftMonitor => DriftPrefix + SubjectId,
        ScheduleKind.TrainingSpec => TrainingPrefix + SubjectId,
        ScheduleKind.AuditDigest => AuditDigest,
        ScheduleKind.PromotionSweep => PromotionSweep,
        ScheduleKind.ArtifactSweep => ArtifactSweep,
        ScheduleKind.TelemetryMaintenance => TelemetryMaintenance,
        ScheduleKind.ProductionWindows => ProductionWindows,
        _ => throw new InvalidOperationException($"Unhandled schedule kind {Kind}."),
    };

    /// <summary>Parses a stable id; anything else is a 404 (no schedule has that id).</summary>
    public static ScheduleId Parse(string? id)
    {
        var text = Uri.UnescapeDataString(id ?? "").Trim();
        if (text == AuditDigest)
            return BuiltIns[0];
        if (text == PromotionSweep)
            return BuiltIns[1];
        if (text == ArtifactSweep)
            return BuiltIns[2];
        if (text == TelemetryMaintenance)
            return BuiltIns[3];
        if (text == ProductionWindows)
            return BuiltIns[4];
        if (text.StartsWith(DriftPrefix, StringComparison.Ordinal) && Guid.TryParse(text[DriftPrefix.Length..], out var monitor))
            return ForMonitor(monitor);
        if (text.StartsWith(TrainingPrefix, StringComparison.Ordinal) && Guid.TryParse(text[TrainingPrefix.Length..], out var spec))
            return ForSpec(spec);
        throw new NotFoundException($"No schedule has the id '{text}'. Ids look like drift-monitor:{{guid}}, training-spec:{{guid}}, {AuditDigest}, {PromotionSweep}, {ArtifactSweep}, {TelemetryMaintenance} or {ProductionWindows}.");
    }
}
