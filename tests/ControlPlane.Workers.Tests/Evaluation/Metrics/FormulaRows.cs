namespace ControlPlane.Workers.Tests.Evaluation.Metrics;

/// <summary>Deterministic rows built from integer formulas, so numpy builds the very same doubles.</summary>
internal static class FormulaRows
{
    /// <summary>
    /// <c>i = np.arange(10_000); score = ((i * 7919) % 10007) / 10007;
    /// label = (((i * 104729) % 10007) / 10007 &lt; score * 0.8 + 0.1).astype(int)</c>
    /// </summary>
    public static (byte[] Labels, double[] Scores) Binary()
    {
        var labels = new byte[10_000];
        var scores = new double[10_000];
        for (long i = 0; i < labels.Length; i++)
        {
            var score = (double)(i * 7919 % 10007) / 10007;
            scores[i] = score;
            labels[i] = (double)(i * 104729 % 10007) / 10007 < score * 0.8 + 0.1 ? (byte)1 : (byte)0;
        }
        return (labels, scores);
    }

    /// <summary>
    /// <c>i = np.arange(1000)[:, None]; k = np.arange(5)[None, :]; P = (((i * 31 + k * 17) % 23) + 1) / 24.0;
    /// y = (np.arange(1000) * 7) % 5</c>: rows that do not sum to 1, and argmax ties.
    /// </summary>
    public static (int[] Labels, double[] Probabilities) Multiclass()
    {
        var labels = new int[1000];
        var probabilities = new double[1000 * 5];
        for (var i = 0; i < labels.Length; i++)
        {
            labels[i] = i * 7 % 5;
            for (var k = 0; k < 5; k++)
                probabilities[i * 5 + k] = ((i * 31 + k * 17) % 23 + 1) / 24.0;
        }
        return (labels, probabilities);
    }

    /// <summary>
    /// <c>j = np.arange(1000); y = ((j * 7919) % 1009) / 100.0 + j * 0.01; yh = y + ((j * 104729) % 997) / 997 - 0.5</c>
    /// </summary>
    public static (double[] Actual, double[] Predicted) Regression()
    {
        var actual = new double[1000];
        var predicted = new double[1000];
        for (long j = 0; j < actual.Length; j++)
        {
            actual[j] = (j * 7919 % 1009) / 100.0 + j * 0.01;
            predicted[j] = actual[j] + (double)(j * 104729 % 997) / 997 - 0.5;
        }
        return (actual, predicted);
    }
}
