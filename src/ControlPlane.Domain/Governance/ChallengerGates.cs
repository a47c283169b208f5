using System.Globalization;

namespace ControlPlane.Domain.Governance;

/// <summary>Judges the challenger gate on the pinned comparison (see <see cref="ChallengerGate"/>).</summary>
internal static class ChallengerGates
{
    public static GateCheck Check(PromotionEvidence evidence, ChallengerGate gate)
    {
        var title = $"Challenger not worse than champion on {gate.Metric} at p < {gate.Alpha.ToString(CultureInfo.InvariantCulture)}";
        var found = evidence.Challenger;
        if (evidence.BaselineVersion is not { } baseline)
            return new GateCheck("challenger", title, true, "First release: there is no champion to compare with.");
        if (found?.ComparisonId is not { } id)
            return new GateCheck("challenger", title, false, $"No succeeded comparison of v{evidence.Version} (challenger) against v{baseline} (champion).");
        var read = $"Comparison {id} ({found.Mode}, {found.From:u} to {found.To:u})";
        if (found.Test is not { } test)
            return new GateCheck("challenger", title, false, $"{read} has no test of {gate.Metric} (too few labels, or another kind of model).");
        var labelled = Math.Min(test.ChampionRows, test.ChallengerRows);
        if (labelled < gate.MinLabelled)
            return new GateCheck("challenger", title, false, $"{read}: {labelled} labelled rows per side, the policy needs {gate.MinLabelled}.");
        var figures = string.Create(CultureInfo.InvariantCulture,
            $"{read}: {gate.Metric} {test.Champion:0.####} → {test.Challenger:0.####}, difference {test.Difference:+0.####;-0.####;0} (95 % CI {test.Lower:0.####} to {test.Upper:0.####}), {test.Test}, one-sided p(worse) = {test.PWorse:0.####}, {labelled} labelled");
        return test.PWorse < gate.Alpha
            ? new GateCheck("challenger", title, false, $"{figures}: the challenger is significantly worse.")
            : new GateCheck("challenger", title, true, $"{figures}: not significantly worse.");
    }
}
