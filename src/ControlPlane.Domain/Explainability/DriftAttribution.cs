namespace ControlPlane.Domain.Explainability;

/// <summary>One compared column: whether it drifted, how far (<see cref="DriftMagnitude"/>) and its importance.</summary>
/// <param name="ImportanceRank">1 for the model's most important feature; null when the model has no importance for it.</param>
/// <param name="Score">max(importance, 0) × drift: what to look at first.</param>
public sealed record AttributedColumn(string Column, bool Drifted, double? Drift, double? Importance, int? ImportanceRank, double? Score);

/// <summary>
/// A drift result's columns with the model version's permutation importance, most consequential first (by
/// <see cref="AttributedColumn.Score"/>, then drift), so "income drifted and is the second most important feature"
/// reads at a glance. <see cref="Note"/> says why there is no importance (no model, or no evaluation measured it).
/// </summary>
public sealed record DriftAttributionView(Guid? EvaluationId, string? Metric, int RankedFeatures, string? Note, IReadOnlyList<AttributedColumn> Columns)
{
    public const string NoImportanceYet = "No importance yet: no succeeded evaluation of this model version measured feature importance.";
    public const string NoModel = "No model version is attached, so there is no importance to weigh the drift with.";

    public static DriftAttributionView Build(IEnumerable<(string Column, bool Drifted, double? Drift)> columns, ModelImportance? importance, string? note = null)
    {
        var ranks = importance?.Features.Select((f, i) => (f.Feature, f.Mean, Rank: i + 1))
            .ToDictionary(f => f.Feature, StringComparer.OrdinalIgnoreCase) ?? [];
        var rows = columns.Select(c =>
        {
            var known = ranks.TryGetValue(c.Column, out var r);
            double? weight = known ? r.Mean : null;
            var score = weight is { } w && c.Drift is { } d && double.IsFinite(w) ? Math.Max(w, 0) * d : (double?)null;
            return new AttributedColumn(c.Column, c.Drifted, c.Drift, weight, known ? r.Rank : null, score);
        })
        .OrderByDescending(c => c.Score ?? double.NegativeInfinity).ThenByDescending(c => c.Drift ?? double.NegativeInfinity)
        .ThenBy(c => c.Column, StringComparer.Ordinal).ToList();
        return new DriftAttributionView(importance?.EvaluationId, importance?.Metric, ranks.Count,
            importance is null ? note ?? NoImportanceYet : null, rows);
    }
}
