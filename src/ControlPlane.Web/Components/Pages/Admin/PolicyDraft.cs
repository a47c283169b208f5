using ControlPlane.Domain.Evaluations;
using ControlPlane.Domain.Governance;

namespace ControlPlane.Web.Components.Pages.Admin;

/// <summary>
/// The editable form of <see cref="PolicyRules"/>: lists as sets and text, metric gates as rows. The service validates.
/// Rules the form does not show are kept as they were loaded, so saving from the form never drops them.
/// </summary>
public sealed class PolicyDraft
{
    private PolicyRules _loaded = PolicyRules.Default;

    public int RequiredApprovals { get; set; }
    public HashSet<string> ApproverRoles { get; set; } = [];
    public HashSet<string> RequesterRoles { get; set; } = [];
    public string? EvaluationDataset { get; set; }
    public List<GateRow> MetricGates { get; set; } = [];
    public bool RequireNoDrift { get; set; }
    /// <summary>The production gate's window count; null = no gate (the service checks the range).</summary>
    public int? HealthyProductionWindows { get; set; }
    /// <summary>The challenger gate is on; its fields below (the service checks them).</summary>
    public bool RequireChallengerNotWorse { get; set; }
    public string ChallengerMetric { get; set; } = new ChallengerGate().Metric;
    public double? ChallengerAlpha { get; set; } = new ChallengerGate().Alpha;
    public long? ChallengerMinLabelled { get; set; } = new ChallengerGate().MinLabelled;
    public bool RequireModelCard { get; set; }
    public bool RequireNoFailedJobs { get; set; }
    public bool AllowOverride { get; set; }
    public HashSet<string> OverrideRoles { get; set; } = [];
    public int ExpiryHours { get; set; }
    public bool ArchivePrevious { get; set; }
    public string? ProtectedAliases { get; set; }

    public sealed class GateRow
    {
        public string? Metric { get; set; }
        public double? Threshold { get; set; }
        public double? MinAbsoluteChange { get; set; }
        public double? MinRelativeChange { get; set; }
        public bool GreaterIsBetter { get; set; } = true;
    }

    public static PolicyDraft From(PolicyRules rules) => new()
    {
        _loaded = rules,
        RequiredApprovals = rules.RequiredApprovals,
        ApproverRoles = [.. rules.ApproverRoles],
        RequesterRoles = [.. rules.RequesterRoles],
        EvaluationDataset = rules.EvaluationDataset,
        MetricGates = [.. rules.MetricGates.Select(g => new GateRow
        {
            Metric = g.Metric, Threshold = g.Threshold, MinAbsoluteChange = g.MinAbsoluteChange, MinRelativeChange = g.MinRelativeChange, GreaterIsBetter = g.GreaterIsBetter,
        })],
        RequireNoDrift = rules.RequireNoDrift,
        HealthyProductionWindows = rules.HealthyProductionWindows,
        RequireChallengerNotWorse = rules.ChallengerNotWorse is not null,
        ChallengerMetric = (rules.ChallengerNotWorse ?? new ChallengerGate()).Metric,
        ChallengerAlpha = (rules.ChallengerNotWorse ?? new ChallengerGate()).Alpha,
        ChallengerMinLabelled = (rules.ChallengerNotWorse ?? new ChallengerGate()).MinLabelled,
        RequireModelCard = rules.RequireModelCard,
        RequireNoFailedJobs = rules.RequireNoFailedJobs,
        AllowOverride = rules.AllowOverride,
        OverrideRoles = [.. rules.OverrideRoles],
        ExpiryHours = rules.ExpiryHours,
        ArchivePrevious = rules.ArchivePrevious,
        ProtectedAliases = string.Join(", ", rules.ProtectedAliases),
    };

    public PolicyRules ToRules() => _loaded with
    {
        RequiredApprovals = RequiredApprovals,
        ApproverRoles = [.. ApproverRoles],
        RequesterRoles = [.. RequesterRoles],
        EvaluationDataset = string.IsNullOrWhiteSpace(EvaluationDataset) ? null : EvaluationDataset.Trim(),
        MetricGates = [.. MetricGates.Select(g => new MetricThreshold((g.Metric ?? "").Trim(), g.Threshold, g.MinAbsoluteChange, g.MinRelativeChange, g.GreaterIsBetter))],
        RequireNoDrift = RequireNoDrift,
        HealthyProductionWindows = HealthyProductionWindows,
        // An empty number is sent as an impossible one, so the service's message names the field instead of a default filling in.
        ChallengerNotWorse = RequireChallengerNotWorse ? new ChallengerGate(ChallengerMetric, ChallengerAlpha ?? double.NaN, ChallengerMinLabelled ?? 0) : null,
        RequireModelCard = RequireModelCard,
        RequireNoFailedJobs = RequireNoFailedJobs,
        AllowOverride = AllowOverride,
        OverrideRoles = [.. OverrideRoles],
        ExpiryHours = ExpiryHours,
        ArchivePrevious = ArchivePrevious,
        ProtectedAliases = [.. (ProtectedAliases ?? "").Split([',', ' ', '\n'], StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)],
    };
}
