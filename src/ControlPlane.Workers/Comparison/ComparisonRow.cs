namespace ControlPlane.Workers.Comparison;

/// <summary>One deduplicated prediction of one side, with its last received actual (null while unlabelled).</summary>
public sealed record ComparisonRow(string Id, string? Label, double? Score, double? Value, double? LatencyMs, bool Failed, string? Actual, double? ActualValue);

/// <summary>The champion's primary rows and the challenger's shadow or canary rows of a range; <see cref="Shadow"/>: paired on id.</summary>
public sealed record ComparisonRows(int ChampionVersion, bool Shadow, IReadOnlyList<ComparisonRow> Champion, IReadOnlyList<ComparisonRow> Challenger);
