using ControlPlane.Domain.Registry;

namespace ControlPlane.Domain.Production;

/// <summary>
/// A production monitor's definition. <see cref="ConcurrencyStamp"/> is the stamp the editor read: an update with an
/// older one is refused (409) rather than overwriting someone else's change. <see cref="Reference"/> null takes each
/// served version's training dataset.
/// </summary>
public sealed record ProductionMonitorRequest(
    string Name,
    ProductionTarget Target,
    string TargetValue,
    ProductionWindowSize WindowSize = ProductionWindowSize.Hour,
    DatasetRef? Reference = null,
    ProductionMonitorSettings? Settings = null,
    string? Description = null,
    bool Enabled = true,
    Guid? RetrainSpecId = null,
    int AlertCooldownMinutes = 60,
    Guid? ConcurrencyStamp = null);

public sealed record ProductionMonitorView(
    Guid Id,
    string Model,
    string Name,
    string? Description,
    ProductionTarget Target,
    string TargetValue,
    ProductionWindowSize WindowSize,
    DatasetRef? Reference,
    ProductionMonitorSettings Settings,
    bool Enabled,
    Guid? RetrainSpecId,
    string? RetrainSpec,
    int AlertCooldownMinutes,
    string Owner,
    DateTime CreatedAt,
    DateTime UpdatedAt,
    Guid ConcurrencyStamp,
    ProductionWindowSummary? Latest);

/// <summary>A window without its results: what a list shows.</summary>
public sealed record ProductionWindowSummary(DateTime Start, DateTime End, DateTime ComputedAt, long Predictions, long Labelled, long Errors, WindowHealth Health, IReadOnlyList<string> Breaches);

public sealed record ProductionWindowView(
    Guid Id,
    DateTime Start,
    DateTime End,
    DateTime ComputedAt,
    long Predictions,
    long Labelled,
    long Errors,
    WindowHealth Health,
    IReadOnlyList<string> Breaches,
    ProductionWindowResult Result);

/// <summary>A model's telemetry retention: its own setting (null: the server default) and the days that apply.</summary>
public sealed record TelemetryRetentionView(string Model, int? Days, int DefaultDays, int EffectiveDays);

public sealed record TelemetryRetentionRequest(int? Days, string Reason);
