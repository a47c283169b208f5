using System.Globalization;
using System.Text.Json;

namespace ControlPlane.Domain.Costs;

/// <summary>
/// Whether a retrained version scored worse than the champion it was evaluated against, on the first headline metric
/// both evaluations have (the order the evaluation pages lead with: ROC AUC, macro F1, RMSE, R², F1, accuracy).
/// </summary>
public static class ChampionComparison
{
    private static readonly (string Metric, bool GreaterIsBetter)[] Headlines =
        [("rocAuc", true), ("macroF1", true), ("rmse", false), ("r2", true), ("f1", true), ("accuracy", true)];

    /// <summary>The reason text when the candidate is worse; null when it is as good or better, or the two cannot be compared.</summary>
    public static string? Worse(string? candidateJson, string? championJson)
    {
        if (candidateJson is null || championJson is null)
            return null;
        var candidate = JsonSerializer.Deserialize<Dictionary<string, double>>(candidateJson) ?? [];
        var champion = JsonSerializer.Deserialize<Dictionary<string, double>>(championJson) ?? [];
        foreach (var (metric, greaterIsBetter) in Headlines)
        {
            if (!candidate.TryGetValue(metric, out var mine) || !champion.TryGetValue(metric, out var theirs))
                continue;
            var worse = greaterIsBetter ? mine < theirs : mine > theirs;
            return worse ? string.Create(CultureInfo.InvariantCulture, $"{metric} {mine:0.####} vs the champion's {theirs:0.####}") : null;
        }
        return null;
    }
}
