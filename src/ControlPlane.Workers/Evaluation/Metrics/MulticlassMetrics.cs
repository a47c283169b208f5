namespace ControlPlane.Workers.Evaluation.Metrics;

/// <summary>
/// Multiclass metrics with scikit-learn 1.2's definitions, from true class indices and an N × C row-major probability
/// matrix.
/// <list type="bullet">
/// <item>The predicted class is the row's argmax, the lowest index on ties (<c>numpy.argmax</c>).</item>
/// <item>Per-class precision, recall and F1 are 0 when undefined (<c>zero_division=0</c>).</item>
/// <item>Macro F1 averages the classes present in the labels or the predictions, as <c>f1_score(average="macro")</c>
/// does without <c>labels</c>; a class neither seen nor predicted is listed but not averaged. Weighted F1 weights by support.</item>
/// <item>Log loss is <c>log_loss(labels=range(C), eps="auto")</c> on float64: clipped to [eps, 1 − eps], each row
/// divided by its sum. Float input is widened to double first, so eps is float64's, not float32's.</item>
/// </list>
/// </summary>
public static class MulticlassMetrics
{
    public static MulticlassReport Compute(ReadOnlySpan<int> labels, ReadOnlySpan<float> probabilities, IReadOnlyList<string> classNames)
    {
        var accumulator = new MulticlassAccumulator(classNames);
        accumulator.Add(labels, probabilities);
        return accumulator.Build();
    }

    public static MulticlassReport Compute(ReadOnlySpan<int> labels, ReadOnlySpan<double> probabilities, IReadOnlyList<string> classNames)
    {
        var accumulator = new MulticlassAccumulator(classNames);
        accumulator.Add(labels, probabilities);
        return accumulator.Build();
    }

    /// <summary>The report from the confusion counts (row = true class) and the sum of the rows' log losses.</summary>
    internal static MulticlassReport FromCounts(IReadOnlyList<string> classNames, long[] confusion, double logLossSum)
    {
        var c = classNames.Count;
        var matrix = new long[c][];
        var support = new long[c];
        var predicted = new long[c];
        long count = 0, correct = 0;
        for (var t = 0; t < c; t++)
        {
            matrix[t] = confusion.AsSpan(t * c, c).ToArray();
            for (var p = 0; p < c; p++)
            {
                support[t] += matrix[t][p];
                predicted[p] += matrix[t][p];
            }
            correct += matrix[t][t];
            count += support[t];
        }
        if (count == 0)
            return new MulticlassReport(0, null, null, null, null, [.. classNames.Select(n => new ClassMetrics(n, 0, 0, 0, 0, 0))], matrix);

        var classes = new ClassMetrics[c];
        double macroSum = 0, weightedSum = 0;
        var present = 0;
        for (var k = 0; k < c; k++)
        {
            var tp = matrix[k][k];
            var precision = predicted[k] == 0 ? 0 : (double)tp / predicted[k];
            var recall = support[k] == 0 ? 0 : (double)tp / support[k];
            var f1 = precision + recall == 0 ? 0 : 2.0 * precision * recall / (precision + recall);
            classes[k] = new ClassMetrics(classNames[k], precision, recall, f1, support[k], predicted[k]);
            if (support[k] + predicted[k] == 0)
                continue;
            present++;
            macroSum += f1;
            weightedSum += f1 * support[k];
        }
        return new MulticlassReport(
            count,
            Accuracy: (double)correct / count,
            MacroF1: macroSum / present,
            WeightedF1: weightedSum / count,
            LogLoss: logLossSum / count,
            classes,
            matrix);
    }
}
