using System.Globalization;
using ControlPlane.Domain.Production;
using ControlPlane.Workers.Evaluation.Metrics;

namespace ControlPlane.Workers.Production;

/// <summary>
/// Performance on the predictions whose actuals arrived, with the evaluation's metric code and definitions: a binary
/// classifier (every labelled row has a score) by <see cref="BinaryMetrics"/> with the monitor's threshold and the
/// positive class of <see cref="TelemetryColumns.IsPositive"/>; a regressor (every row has a value and a numeric
/// actual) by <see cref="RegressionMetrics"/>; otherwise a classifier judged on its predicted label against the actual
/// (accuracy, macro and weighted F1; no log loss without probabilities).
/// </summary>
public static class RealisedMetrics
{
    public static RealisedPerformance? Compute(IReadOnlyList<LabelledRow> rows, long predictions, long labelled, double threshold)
    {
        if (rows.Count == 0 || predictions == 0)
            return null;
        var coverage = (double)labelled / predictions;
        IReadOnlyDictionary<string, double> metrics;
        if (rows.All(r => r.Score is { } s && double.IsFinite(s)))
        {
            var labels = rows.Select(r => (byte)(TelemetryColumns.IsPositive(r.Actual) ? 1 : 0)).ToArray();
            var scores = rows.Select(r => r.Score!.Value).ToArray();
            metrics = BinaryMetrics.Compute(labels, scores, threshold, includeCurves: false).Flatten();
        }
        else if (rows.All(r => r.Value is not null && (r.ActualValue ?? Parse(r.Actual)) is not null))
        {
            var actual = rows.Select(r => (r.ActualValue ?? Parse(r.Actual))!.Value).ToArray();
            var predicted = rows.Select(r => r.Value!.Value).ToArray();
            metrics = RegressionMetrics.Compute(actual, predicted).Flatten();
        }
        else
        {
            var judged = rows.Where(r => r.Label is not null).ToList();
            if (judged.Count == 0)
                return new RealisedPerformance(labelled, coverage, new Dictionary<string, double>());
            var classes = judged.SelectMany(r => new[] { r.Label!.Trim(), r.Actual.Trim() }).Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal).ToList();
            var index = classes.Select((c, i) => (c, i)).ToDictionary(p => p.c, p => p.i, StringComparer.Ordinal);
            var confusion = new long[classes.Count * classes.Count];
            foreach (var row in judged)
                confusion[index[row.Actual.Trim()] * classes.Count + index[row.Label!.Trim()]]++;
            metrics = MulticlassMetrics.FromCounts(classes, confusion, 0).Flatten()
                .Where(m => m.Key != MetricNames.LogLoss).ToDictionary(m => m.Key, m => m.Value, StringComparer.Ordinal);
        }
        return new RealisedPerformance(labelled, coverage, metrics);
    }

    private static double? Parse(string text) =>
        double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var v) && double.IsFinite(v) ? v : null;
}
