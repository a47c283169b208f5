using ControlPlane.Domain.Evaluations;

namespace ControlPlane.Domain.Governance;

/// <summary>Turns evidence and a policy into the gate checklist. Pure: the same evidence always gives the same checklist.</summary>
public static class PromotionGates
{
    public static IReadOnlyList<GateCheck> Evaluate(PromotionEvidence evidence, PolicyRules rules, bool artifactIntact)
    {
        var gates = new List<GateCheck>
        {
            new("artifact", "Artifact intact", artifactIntact, artifactIntact
                ? $"The stored bytes hash to {evidence.ArtifactSha256}."
                : $"The stored artifact no longer hashes to {evidence.ArtifactSha256} (or is missing)."),
        };
        if (rules.EvaluationDataset is { } dataset)
            gates.AddRange(EvaluationGates(evidence, rules, dataset));
        if (rules.RequireNoDrift)
            gates.Add(DriftGate(evidence.Drift));
        if (rules.HealthyProductionWindows is { } windows)
            gates.Add(ProductionGate(evidence.Production ?? [], windows));
        if (rules.ChallengerNotWorse is { } challenger)
            gates.Add(ChallengerGates.Check(evidence, challenger));
        if (rules.RequireModelCard)
            gates.Add(CardGate(evidence.ModelCard));
        if (rules.RequireNoFailedJobs)
            gates.Add(evidence.OpenJobs.Count == 0
                ? new GateCheck("jobs", "No failed or unfinished jobs", true, "No evaluation of this version is failed or still running.")
                : new GateCheck("jobs", "No failed or unfinished jobs", false,
                    string.Join(" ", evidence.OpenJobs.Select(j => $"{j.Kind} {j.Id} is {j.Status}{(j.Error is null ? "" : $": {j.Error}")}."))));
        return gates;
    }

    private static IEnumerable<GateCheck> EvaluationGates(PromotionEvidence evidence, PolicyRules rules, string dataset)
    {
        var which = rules.EvaluationDatasetVersion is { } number ? $"{dataset} v{number}" : $"the latest version of {dataset}";
        if (evidence.Evaluation is not { } candidate)
        {
            yield return new GateCheck("evaluation", $"Evaluated on {dataset}", false, $"Version {evidence.Version} has no succeeded evaluation on {which}.");
            yield break;
        }
        var read = $"Evaluation {candidate.Id} on {candidate.Dataset} v{candidate.DatasetVersion} ({candidate.Rows} rows), finished {candidate.CompletedAt:u}";
        if (rules.MinimumEvaluationRows is { } minimum && candidate.Rows < minimum)
        {
            yield return new GateCheck("evaluation", $"Evaluated on {dataset}", false, $"{read}: the policy needs at least {minimum} rows.");
            yield break;
        }
        yield return new GateCheck("evaluation", $"Evaluated on {dataset}", true, $"{read}.");
        // The first release has nothing to beat: only absolute thresholds apply. A baseline that exists but was not
        // evaluated on the same data fails the comparing gates ("no baseline") and needs an evaluation or an override.
        var firstRelease = evidence.BaselineVersion is null;
        var thresholds = firstRelease
            ? rules.MetricGates.Where(g => g.Threshold is not null).Select(g => g with { MinAbsoluteChange = null, MinRelativeChange = null })
            : rules.MetricGates;
        foreach (var result in MetricGates.Evaluate(candidate.Metrics, evidence.Baseline?.Metrics, thresholds))
        {
            var versus = evidence.BaselineVersion is { } b ? $" (baseline: v{b}{(evidence.Baseline is null ? ", not evaluated on this dataset version" : "")})" : "";
            yield return new GateCheck($"metric:{result.Metric}", $"Metric {result.Metric}", result.Passed, result.Reason + versus);
        }
    }

    private static GateCheck DriftGate(IReadOnlyList<DriftEvidence> drift)
    {
        const string title = "No dataset drift in the latest monitor runs";
        var drifted = drift.Where(d => d.DatasetDrift == true).ToList();
        if (drifted.Count > 0)
            return new GateCheck("drift", title, false, string.Join(" ", drifted.Select(d =>
                $"{d.Monitor} (v{d.ModelVersion}) found dataset drift on {d.RunAt:u}: {d.DriftedColumns} columns, {d.DriftShare:P0}.")));
        var checkedCount = drift.Count(d => d.DatasetDrift == false);
        return new GateCheck("drift", title, true, drift.Count == 0
            ? "No drift monitor watches this model."
            : $"{checkedCount} of {drift.Count} linked monitors found no dataset drift in their latest run{(checkedCount < drift.Count ? "; the others have not run yet" : "")}.");
    }

    private static GateCheck ProductionGate(IReadOnlyList<ProductionEvidence> production, int windows)
    {
        var title = $"No breach in the latest {windows} production window{(windows == 1 ? "" : "s")}";
        var breached = production.Where(p => p.Breached.Count > 0).ToList();
        if (breached.Count > 0)
            return new GateCheck("production", title, false, string.Join(" ", breached.Select(p =>
                $"{p.Monitor}: {p.Breached.Count} of its latest {p.Windows} windows breached ({string.Join("; ", p.Breached.TakeLast(3).Select(w => $"{w.Start:u} {w.Breaches}"))}).")));
        return new GateCheck("production", title, true, production.Count == 0
            ? "No enabled production monitor watches this model."
            : string.Join(" ", production.Select(p => p.Windows == 0 ? $"{p.Monitor} has no computed window yet." : $"{p.Monitor}: none of its latest {p.Windows} windows breached.")));
    }

    private static GateCheck CardGate(Registry.ModelCard card)
    {
        var missing = new List<string>();
        if (string.IsNullOrWhiteSpace(card.Owner)) missing.Add("owner");
        if (string.IsNullOrWhiteSpace(card.IntendedUse)) missing.Add("intended use");
        if (string.IsNullOrWhiteSpace(card.Limitations)) missing.Add("limitations");
        if (string.IsNullOrWhiteSpace(card.RiskTier)) missing.Add("risk tier");
        return new GateCheck("modelCard", "Model card complete", missing.Count == 0,
            missing.Count == 0 ? $"Owner {card.Owner}, risk tier {card.RiskTier}." : $"The model card lacks: {string.Join(", ", missing)}.");
    }
}
