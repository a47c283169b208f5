namespace ControlPlane.Domain.Governance;

/// <summary>
/// "Challenger not worse than champion at p &lt; α" on <see cref="Metric"/>: the one-sided test that the challenger
/// is worse (lower accuracy or ROC AUC, higher MAE) must not be significant at <see cref="Alpha"/>, on at least
/// <see cref="MinLabelled"/> labelled pairs (shadow) or labelled rows on each side (canary). Not significant is not
/// proof of equality: the minimum keeps a comparison on a handful of labels from passing by having no power.
/// </summary>
public sealed record ChallengerGate(string Metric = "accuracy", double Alpha = 0.05, long MinLabelled = 100)
{
    /// <summary>The metrics a comparison tests (by the evaluation's names).</summary>
    public static IReadOnlyList<string> Metrics { get; } = ["accuracy", "rocAuc", "mae"];

    internal string? Problem() =>
        !Metrics.Contains(Metric) ? $"The challenger gate's metric is one of {string.Join(", ", Metrics)}."
        : !(Alpha is > 0 and < 0.5) ? "The challenger gate's alpha is above 0 and below 0.5, e.g. 0.05."
        : MinLabelled < 1 ? "The challenger gate needs at least 1 labelled pair."
        : null;
}
