using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using ControlPlane.Domain.Registry;

namespace ControlPlane.Domain.Governance;

/// <summary>
/// What reviewers sign: the artifact, the model card, the evaluation and the production baseline it is compared with,
/// the latest runs of the model's drift monitors, the latest production windows when the policy gates on them,
/// unfinished or failed jobs, and the policy version. Hashed as written.
/// </summary>
public sealed record PromotionEvidence(
    string Model, int Version, Guid VersionId, string ArtifactSha256, long ArtifactSize, string VersionCreatedBy,
    string Target, Guid PolicyId, int PolicyVersion, ModelCard ModelCard,
    EvaluationEvidence? Evaluation, int? BaselineVersion, EvaluationEvidence? Baseline,
    IReadOnlyList<DriftEvidence> Drift, IReadOnlyList<JobEvidence> OpenJobs,
    [property: System.Text.Json.Serialization.JsonIgnore(Condition = System.Text.Json.Serialization.JsonIgnoreCondition.WhenWritingNull)]
    IReadOnlyList<ProductionEvidence>? Production = null,
    [property: System.Text.Json.Serialization.JsonIgnore(Condition = System.Text.Json.Serialization.JsonIgnoreCondition.WhenWritingNull)]
    ChallengerEvidence? Challenger = null)
{
    public string ToJson() => JsonSerializer.Serialize(this, GovernanceJson.Options);

    public static PromotionEvidence FromJson(string json) => JsonSerializer.Deserialize<PromotionEvidence>(json, GovernanceJson.Options)!;

    public static string HashOf(string json) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(json)));
}

/// <param name="Rows">Rows of the evaluated dataset version.</param>
public sealed record EvaluationEvidence(Guid Id, string Dataset, int DatasetVersion, Guid DatasetVersionId, DateTime CompletedAt, IReadOnlyDictionary<string, double> Metrics, long Rows = 0);

public sealed record DriftEvidence(Guid MonitorId, string Monitor, int ModelVersion, Guid? RunId, DateTime? RunAt, bool? DatasetDrift, double? DriftShare, int? DriftedColumns)
{
    /// <summary>
    /// The run's drifted columns weighed by the promoted version's permutation importance, most consequential first;
    /// absent (and the JSON as before) when the run has no results or the version no measured importance.
    /// </summary>
    [System.Text.Json.Serialization.JsonIgnore(Condition = System.Text.Json.Serialization.JsonIgnoreCondition.WhenWritingNull)]
    public IReadOnlyList<Explainability.AttributedColumn>? DriftedByImportance { get; init; }
}

/// <summary>The latest windows of one enabled production monitor of the model (when the policy has a production gate): how many were read, which breached.</summary>
public sealed record ProductionEvidence(Guid MonitorId, string Monitor, int Windows, IReadOnlyList<BreachedWindow> Breached);

public sealed record BreachedWindow(DateTime Start, string Breaches);

/// <summary>
/// The champion/challenger comparison read by the challenger gate: the latest succeeded comparison of this version
/// against the version it replaces (<see cref="PromotionEvidence.BaselineVersion"/>), and its test of the gate's
/// metric; <see cref="ComparisonId"/> null when there is none.
/// </summary>
public sealed record ChallengerEvidence(Guid? ComparisonId, int? ChampionVersion, string? Mode, DateTime? From, DateTime? To, DateTime? CompletedAt,
    Comparisons.MetricComparison? Test);

/// <summary>A job for the version that has not finished, or whose latest attempt failed.</summary>
public sealed record JobEvidence(string Kind, Guid Id, string Status, string? Error, DateTime At);
