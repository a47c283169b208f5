using System.Text.Json;
using ControlPlane.Domain.Evaluations;
using ControlPlane.Domain.Identity;
using ControlPlane.Domain.Registry;

namespace ControlPlane.Domain.Governance;

/// <summary>
/// What a promotion needs: who may ask, who signs and how many, which gates the evidence must pass, when a request
/// expires, and what happens to the version that leaves production. Stored as JSON on an immutable policy version.
/// </summary>
public sealed record PolicyRules
{
    public int RequiredApprovals { get; init; } = 1;
    public IReadOnlyList<string> ApproverRoles { get; init; } = [ControlPlaneRoles.ComplianceReviewer];
    public IReadOnlyList<string> RequesterRoles { get; init; } = [ControlPlaneRoles.DataScientist, ControlPlaneRoles.Admin];
    /// <summary>The dataset a candidate must have been evaluated on; null = no evaluation gate.</summary>
    public string? EvaluationDataset { get; init; }
    /// <summary>Which version of that dataset the gates read; null = its latest version (a newer one re-checks the request).</summary>
    public int? EvaluationDatasetVersion { get; init; }
    /// <summary>The fewest rows the evaluated dataset version may have; null = no minimum.</summary>
    public long? MinimumEvaluationRows { get; init; }
    /// <summary>Metric gates on that evaluation: thresholds, and changes against the current production (or target alias) version.</summary>
    public IReadOnlyList<MetricThreshold> MetricGates { get; init; } = [];
    public bool RequireNoDrift { get; init; } = true;
    /// <summary>
    /// The latest this-many windows of every enabled production monitor of the model must be free of breaches; null =
    /// no production gate. Left out of the JSON when null, so policies written before it hash as they did.
    /// </summary>
    [System.Text.Json.Serialization.JsonIgnore(Condition = System.Text.Json.Serialization.JsonIgnoreCondition.WhenWritingNull)]
    public int? HealthyProductionWindows { get; init; }
    /// <summary>
    /// The latest champion/challenger comparison of the candidate against the version it replaces must not show it
    /// worse (see <see cref="ChallengerGate"/>); null = no such gate. Left out of the JSON when null.
    /// </summary>
    [System.Text.Json.Serialization.JsonIgnore(Condition = System.Text.Json.Serialization.JsonIgnoreCondition.WhenWritingNull)]
    public ChallengerGate? ChallengerNotWorse { get; init; }
    public bool RequireModelCard { get; init; } = true;
    public bool RequireNoFailedJobs { get; init; } = true;
    public bool AllowOverride { get; init; }
    public IReadOnlyList<string> OverrideRoles { get; init; } = [ControlPlaneRoles.Admin];
    public int ExpiryHours { get; init; } = 168;
    /// <summary>Whether the version leaving production is archived (true) or kept in Staging for a quick rollback (false).</summary>
    public bool ArchivePrevious { get; init; } = true;
    /// <summary>Hours after a rejection before the same version may be requested again for the same target; 0 = at once.</summary>
    public int RejectionCooldownHours { get; init; }
    /// <summary>Aliases that move only through an approved promotion.</summary>
    public IReadOnlyList<string> ProtectedAliases { get; init; } = ["champion"];

    public static PolicyRules Default { get; } = new();

    public const int MaxApprovals = 10;
    public const int MaxExpiryHours = 24 * 90;
    public const int MaxProductionWindows = 24 * 31;

    /// <summary>Checks every field and returns the rules with lists de-duplicated; errors name the field.</summary>
    public PolicyRules Validated()
    {
        var errors = new Dictionary<string, string[]>();
        void Fail(string field, string message) => errors[field] = [message];
        if (RequiredApprovals is < 1 or > MaxApprovals)
            Fail("requiredApprovals", $"Required approvals is between 1 and {MaxApprovals}.");
        if (ApproverRoles is null || ApproverRoles.Count == 0 || !ApproverRoles.All(ControlPlaneRoles.IsKnown))
            Fail("approverRoles", $"Approver roles are one or more of {string.Join(", ", ControlPlaneRoles.All)}.");
        if (RequesterRoles is null || RequesterRoles.Count == 0 || !RequesterRoles.All(ControlPlaneRoles.IsKnown))
            Fail("requesterRoles", $"Requester roles are one or more of {string.Join(", ", ControlPlaneRoles.All)}.");
        if (OverrideRoles is null || !OverrideRoles.All(ControlPlaneRoles.IsKnown))
            Fail("overrideRoles", $"Override roles are among {string.Join(", ", ControlPlaneRoles.All)}.");
        if (AllowOverride && (OverrideRoles is null || OverrideRoles.Count == 0))
            Fail("overrideRoles", "A policy that allows overrides names the roles that may override.");
        if (ExpiryHours is < 1 or > MaxExpiryHours)
            Fail("expiryHours", $"Requests expire after 1 to {MaxExpiryHours} hours.");
        if (RejectionCooldownHours is < 0 or > MaxExpiryHours)
            Fail("rejectionCooldownHours", $"The cool-down after a rejection is 0 to {MaxExpiryHours} hours.");
        if (EvaluationDataset is { } dataset && (dataset.Trim().Length is 0 or > 128))
            Fail("evaluationDataset", "The evaluation dataset is a dataset name.");
        if (EvaluationDatasetVersion is < 1)
            Fail("evaluationDatasetVersion", "The evaluation dataset version is a version number (1 or more), or null for the latest.");
        if (HealthyProductionWindows is < 1 or > MaxProductionWindows)
            Fail("healthyProductionWindows", $"The production gate reads the latest 1 to {MaxProductionWindows} windows, or null for no gate.");
        if (ChallengerNotWorse is { } challenger && challenger.Problem() is { } problem)
            Fail("challengerNotWorse", problem);
        if (MinimumEvaluationRows is < 1)
            Fail("minimumEvaluationRows", "The minimum row count is 1 or more, or null for none.");
        if ((EvaluationDatasetVersion is not null || MinimumEvaluationRows is not null) && string.IsNullOrWhiteSpace(EvaluationDataset))
            Fail("evaluationDataset", "A dataset version or a minimum row count needs an evaluation dataset.");
        if ((MetricGates?.Count ?? 0) > 0 && string.IsNullOrWhiteSpace(EvaluationDataset))
            Fail("metricGates", "Metric gates need an evaluation dataset to read the metrics from.");
        foreach (var gate in MetricGates ?? [])
        {
            try
            {
                MetricGatesCheck(gate);
            }
            catch (ArgumentException e)
            {
                Fail("metricGates", e.Message.Split(" (Parameter", 2)[0]);
            }
        }
        var aliases = new List<string>();
        foreach (var alias in ProtectedAliases ?? [])
        {
            try
            {
                aliases.Add(RegistryRules.AliasName(alias));
            }
            catch (Common.ValidationException)
            {
                Fail("protectedAliases", $"'{alias}' is not a valid alias name.");
            }
        }
        if (errors.Count > 0)
            throw new Common.ValidationException(string.Join(" ", errors.Values.SelectMany(v => v)), errors);
        return this with
        {
            ApproverRoles = [.. ApproverRoles!.Distinct()], RequesterRoles = [.. RequesterRoles!.Distinct()],
            OverrideRoles = [.. (OverrideRoles ?? []).Distinct()], ProtectedAliases = [.. aliases.Distinct()],
            MetricGates = [.. MetricGates ?? []], EvaluationDataset = EvaluationDataset?.Trim() is { Length: > 0 } d ? d : null,
        };
    }

    // Validation of a single gate is the gate evaluator's own; run it on an empty candidate to reuse its messages.
    private static void MetricGatesCheck(MetricThreshold gate) => Evaluations.MetricGates.Evaluate(new Dictionary<string, double>(), null, [gate]);

    public string ToJson() => JsonSerializer.Serialize(this, GovernanceJson.Options);

    public static PolicyRules FromJson(string json) => JsonSerializer.Deserialize<PolicyRules>(json, GovernanceJson.Options)!;
}
