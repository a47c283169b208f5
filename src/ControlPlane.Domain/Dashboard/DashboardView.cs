using ControlPlane.Domain.Evaluations;
using ControlPlane.Domain.Jobs;
using ControlPlane.Domain.Registry;

namespace ControlPlane.Domain.Dashboard;

/// <summary>What the home page shows one user; the parts for a role are null for the others.</summary>
public sealed record DashboardView(
    Totals Totals,
    IReadOnlyDictionary<LifecycleStage, int> VersionsByStage,
    DriftOverview Drift,
    IReadOnlyList<ActivityItem> RecentActivity,
    ScientistPanel? Scientist,
    AdminPanel? Admin,
    bool CanReadAudit)
{
    public bool IsEmpty => Totals is { Models: 0, Datasets: 0, Monitors: 0 };
}

public sealed record Totals(int Models, int Datasets, int Monitors, int Evaluations);

/// <summary>Monitors by their last verdict.</summary>
public sealed record DriftOverview(int Drifted, int Stable, int NeverRun);

public sealed record ActivityItem(DateTime At, string Actor, string Action, string Text, string? Link);

public sealed record OwnedModel(string Name, int LatestVersion, LifecycleStage? LatestStage, DateTime UpdatedAt);

public sealed record RecentEvaluation(Guid Id, string Model, int ModelVersion, string Dataset, int DatasetVersion, EvaluationStatus Status, DateTime RequestedAt);

public sealed record DriftAlert(Guid MonitorId, string Monitor, DateTime? LastRunAt);

/// <summary>A data scientist's lists; <see cref="TeamModels"/> and <see cref="TeamEvaluations"/> say a list holds the team's items because one has none of one's own.</summary>
public sealed record ScientistPanel(IReadOnlyList<OwnedModel> MyModels, IReadOnlyList<RecentEvaluation> LatestEvaluations, IReadOnlyList<DriftAlert> DriftAlerts,
    bool TeamModels = false, bool TeamEvaluations = false);

public sealed record AdminPanel(JobSystemStatus? Jobs, int Users, int ScheduledMonitors);
