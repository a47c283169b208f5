using System.Globalization;
using ControlPlane.Domain.Comparisons;
using ControlPlane.Domain.Production;
using ControlPlane.Workers.Comparison.Statistics;
using ControlPlane.Workers.Drift.Statistics;
using ControlPlane.Workers.Evaluation.Metrics;
using ControlPlane.Workers.Production;

namespace ControlPlane.Workers.Comparison;

/// <summary>
/// Turns a comparison's rows into its result. Metrics of both sides by the windows' definitions
/// (<see cref="RealisedMetrics"/>: threshold 0.5 on a binary score). Tests by kind: a binary classifier (every
/// labelled row scored on both sides) on accuracy (McNemar paired, two-proportion z unpaired) and ROC AUC (DeLong
/// paired or unpaired); a regressor on MAE (paired t or Welch t on absolute errors); other classifiers on accuracy of
/// the predicted label and on each class's recall (Holm-adjusted over the classes). Shadow metrics read only the labelled pairs, so both sides are judged on the same rows.
/// Failed predictions (an error logged) count as predictions but are left out of metrics and tests.
/// </summary>
public static class ComparisonCalculator
{
    public const double Threshold = 0.5;

    public static ComparisonResult Compute(ComparisonRows rows, int challengerVersion, double tolerance)
    {
        var warnings = new List<string>();
        var champion = rows.Champion;
        var challenger = rows.Challenger;
        List<ComparisonRow> championLabelled, challengerLabelled;
        if (rows.Shadow)
        {
            var both = Enumerable.Range(0, champion.Count).Where(i => Usable(champion[i]) && Usable(challenger[i])).ToList();
            championLabelled = both.Select(i => champion[i]).ToList();
            challengerLabelled = both.Select(i => challenger[i]).ToList();
        }
        else
        {
            championLabelled = champion.Where(Usable).ToList();
            challengerLabelled = challenger.Where(Usable).ToList();
        }
        var kind = Kind(championLabelled.Concat(challengerLabelled).ToList());
        var tests = new List<MetricComparison>();
        if (championLabelled.Count == 0 || challengerLabelled.Count == 0)
            warnings.Add(rows.Shadow ? "No labelled pair yet: nothing to test." : "One side has no labelled prediction yet: nothing to test.");
        else
            tests.AddRange(Tests(kind, rows.Shadow, championLabelled, challengerLabelled, warnings));

        return new ComparisonResult
        {
            Mode = rows.Shadow ? "shadow" : "canary",
            Champion = Side(rows.ChampionVersion, champion, championLabelled),
            Challenger = Side(challengerVersion, challenger, challengerLabelled),
            Pairs = rows.Shadow ? champion.Count : 0,
            Tests = tests,
            Agreement = rows.Shadow ? Agreement(champion, challenger, tolerance) : null,
            Warnings = warnings,
        };
    }

    /// <summary>Labelled rows, or the smaller labelled side of a canary: what a gate's minimum reads.</summary>
    public static long Labelled(ComparisonResult result) => Math.Min(result.Champion.Labelled, result.Challenger.Labelled);

    private enum TaskKind { Binary, Regression, Labels }

    private static bool Usable(ComparisonRow row) => row.Actual is not null && !row.Failed;

    private static TaskKind Kind(List<ComparisonRow> labelled) =>
        labelled.Count > 0 && labelled.All(r => r.Score is { } s && double.IsFinite(s)) ? TaskKind.Binary
        : labelled.Count > 0 && labelled.All(r => r.Value is not null && Truth(r) is not null) ? TaskKind.Regression
        : TaskKind.Labels;

    private static IEnumerable<MetricComparison> Tests(TaskKind kind, bool paired, List<ComparisonRow> a, List<ComparisonRow> b, List<string> warnings)
    {
        switch (kind)
        {
            case TaskKind.Binary:
                yield return Accuracy(paired, a, b, r => (r.Score >= Threshold) == TelemetryColumns.IsPositive(r.Actual!));
                var pa = a.Select(r => TelemetryColumns.IsPositive(r.Actual!)).ToArray();
                var pb = b.Select(r => TelemetryColumns.IsPositive(r.Actual!)).ToArray();
                if (pa.Count(p => p) < 2 || pa.Count(p => !p) < 2 || pb.Count(p => p) < 2 || pb.Count(p => !p) < 2)
                {
                    warnings.Add("ROC AUC is not tested: each side needs two labelled positives and two labelled negatives.");
                    yield break;
                }
                var sa = a.Select(r => r.Score!.Value).ToArray();
                var sb = b.Select(r => r.Score!.Value).ToArray();
                var auc = paired ? DeLong.Paired(pa, sa, sb) : DeLong.Unpaired(pa, sa, pb, sb);
                yield return Figure(MetricNames.RocAuc, auc, true, a.Count, b.Count, DeLong.Auc(pa, sa).Auc, DeLong.Auc(pb, sb).Auc);
                break;
            case TaskKind.Regression:
                if (a.Count < 2 || b.Count < 2)
                {
                    warnings.Add("MAE is not tested: the t-test needs two labelled rows or more on each side.");
                    yield break;
                }
                var ea = a.Select(r => Math.Abs(r.Value!.Value - Truth(r)!.Value)).ToArray();
                var eb = b.Select(r => Math.Abs(r.Value!.Value - Truth(r)!.Value)).ToArray();
                var mae = paired ? TTests.Paired(ea, eb) : TTests.Welch(ea, eb);
                yield return Figure(MetricNames.Mae, mae, false, a.Count, b.Count, ea.Average(), eb.Average());
                break;
            case TaskKind.Labels:
                bool Right(ComparisonRow r) => r.Label is not null && string.Equals(r.Label.Trim(), r.Actual!.Trim(), StringComparison.Ordinal);
                yield return Accuracy(paired, a, b, Right);
                foreach (var perClass in ClassRecalls(paired, a, b, Right, warnings))
                    yield return perClass;
                break;
            default:
                throw new InvalidOperationException($"Unknown task kind {kind}.");
        }
    }

    private static MetricComparison Accuracy(bool paired, List<ComparisonRow> a, List<ComparisonRow> b, Func<ComparisonRow, bool> right, string metric = MetricNames.Accuracy)
    {
        var ra = a.Select(right).ToArray();
        var rb = b.Select(right).ToArray();
        var test = paired
            ? McNemar.Test(Enumerable.Range(0, ra.Length).Count(i => ra[i] && !rb[i]), Enumerable.Range(0, ra.Length).Count(i => !ra[i] && rb[i]), ra.Length)
            : TwoProportions.Test(ra.Count(r => r), ra.Length, rb.Count(r => r), rb.Length);
        return Figure(metric, test, true, a.Count, b.Count, (double)ra.Count(r => r) / ra.Length, (double)rb.Count(r => r) / rb.Length);
    }

    public const int MaxClassTests = 20;

    /// <summary>
    /// A classifier of labels: each true class's recall (the accuracy on the rows of that class; paired on them in
    /// shadow), named <c>recall[class]</c>, for the <see cref="MaxClassTests"/> most frequent classes that both sides
    /// have rows of. One test per class makes many chances to find a difference by luck: both p-values are Holm-adjusted
    /// over the classes tested.
    /// </summary>
    private static IEnumerable<MetricComparison> ClassRecalls(bool paired, List<ComparisonRow> a, List<ComparisonRow> b, Func<ComparisonRow, bool> right, List<string> warnings)
    {
        static string Class(ComparisonRow r) => r.Actual!.Trim();
        var frequent = a.Concat(paired ? [] : b).GroupBy(Class, StringComparer.Ordinal)
            .OrderByDescending(g => g.Count()).ThenBy(g => g.Key, StringComparer.Ordinal).Select(g => g.Key).ToList();
        var classes = frequent.Where(c => a.Any(r => Class(r) == c) && b.Any(r => Class(r) == c)).ToList();
        if (classes.Count > MaxClassTests)
            warnings.Add($"Recall is tested for the {MaxClassTests} most frequent of {classes.Count} classes.");
        var raw = classes.Take(MaxClassTests)
            .Select(c => Accuracy(paired, a.Where(r => Class(r) == c).ToList(), b.Where(r => Class(r) == c).ToList(), right, $"{MetricNames.Recall}[{c}]"))
            .ToList();
        if (raw.Count < 2)
            return raw;
        var p = Holm.Adjust(raw.Select(t => t.PValue).ToList());
        var worse = Holm.Adjust(raw.Select(t => t.PWorse).ToList());
        return raw.Select((t, i) => t with { Test = $"{t.Test}, Holm over {raw.Count} classes", PValue = p[i], PWorse = worse[i] });
    }

    private static MetricComparison Figure(string metric, DifferenceTest test, bool greaterIsBetter, long championRows, long challengerRows, double champion, double challenger) =>
        new(metric, test.Test, greaterIsBetter, championRows, challengerRows, champion, challenger, test.Difference, test.Lower, test.Upper, test.PValue,
            greaterIsBetter ? test.PBelow : test.PAbove);

    private static ComparisonSide Side(int version, IReadOnlyList<ComparisonRow> all, List<ComparisonRow> labelled)
    {
        var rows = labelled.Select(r => new LabelledRow(r.Score, r.Label, r.Value, r.Actual!, r.ActualValue)).ToList();
        var metrics = RealisedMetrics.Compute(rows, Math.Max(all.Count, 1), rows.Count, Threshold)?.Metrics ?? new Dictionary<string, double>();
        var latencies = all.Where(r => r.LatencyMs is { } l && double.IsFinite(l)).Select(r => r.LatencyMs!.Value).Order().ToArray();
        var latency = latencies.Length == 0 ? null
            : new ComparisonLatency(latencies.Length, Deciles.Quantile(latencies, 0.5), Deciles.Quantile(latencies, 0.95), Deciles.Quantile(latencies, 0.99));
        return new ComparisonSide(version, all.Count, labelled.Count, all.Count == 0 ? 0 : (double)labelled.Count / all.Count,
            new SortedDictionary<string, double>(metrics.ToDictionary(m => m.Key, m => m.Value), StringComparer.Ordinal), latency);
    }

    private static Agreement Agreement(IReadOnlyList<ComparisonRow> a, IReadOnlyList<ComparisonRow> b, double tolerance)
    {
        long labels = 0, sameLabel = 0, numbers = 0, within = 0;
        for (var i = 0; i < a.Count; i++)
        {
            if (Predicted(a[i]) is { } la && Predicted(b[i]) is { } lb)
            {
                labels++;
                sameLabel += la == lb ? 1 : 0;
            }
            if ((a[i].Score ?? a[i].Value) is { } na && (b[i].Score ?? b[i].Value) is { } nb)
            {
                numbers++;
                within += Math.Abs(na - nb) <= tolerance ? 1 : 0;
            }
        }
        return new Agreement(a.Count, labels == 0 ? null : (double)sameLabel / labels, numbers == 0 ? null : (double)within / numbers, tolerance);
    }

    /// <summary>The predicted class: the logged label, else the side of the threshold a binary score is on.</summary>
    private static string? Predicted(ComparisonRow row) =>
        row.Label?.Trim() ?? (row.Score is { } s ? (s >= Threshold ? "1" : "0") : null);

    private static double? Truth(ComparisonRow row) =>
        row.ActualValue ?? (double.TryParse(row.Actual, NumberStyles.Float, CultureInfo.InvariantCulture, out var v) && double.IsFinite(v) ? v : null);
}
