namespace ControlPlane.Domain.Governance;

/// <summary>Which parts of a request's evidence differ between the pinned copy and the evidence as it stands now.</summary>
internal static class EvidenceChanges
{
    public static IReadOnlyList<string> Between(PromotionEvidence pinned, PromotionEvidence fresh)
    {
        var changes = new List<string>();
        if (pinned.ModelCard != fresh.ModelCard)
            changes.Add("the model card");
        if (Key(pinned.Evaluation) != Key(fresh.Evaluation))
            changes.Add($"the evaluation (was {Text(pinned.Evaluation)}, now {Text(fresh.Evaluation)})");
        if (pinned.BaselineVersion != fresh.BaselineVersion || Key(pinned.Baseline) != Key(fresh.Baseline))
            changes.Add("the baseline");
        if (!pinned.Drift.SequenceEqual(fresh.Drift))
            changes.Add("the drift monitors' latest runs");
        if (!pinned.OpenJobs.SequenceEqual(fresh.OpenJobs))
            changes.Add("the unfinished or failed jobs");
        return changes.Count > 0 ? changes : ["the evidence record"];
    }

    /// <summary>Pinned drift monitors that no longer feed the evidence (disabled or unlinked since).</summary>
    public static IReadOnlyList<DriftEvidence> MonitorsGone(PromotionEvidence pinned, PromotionEvidence fresh) =>
        [.. pinned.Drift.Where(p => fresh.Drift.All(f => f.MonitorId != p.MonitorId))];

    private static Guid? Key(EvaluationEvidence? e) => e?.Id;

    private static string Text(EvaluationEvidence? e) => e is null ? "none" : $"evaluation {e.Id} on {e.Dataset} v{e.DatasetVersion}";
}
