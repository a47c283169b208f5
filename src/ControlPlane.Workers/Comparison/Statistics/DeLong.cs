namespace ControlPlane.Workers.Comparison.Statistics;

/// <summary>
/// DeLong's test of two ROC AUCs (DeLong, DeLong &amp; Clarke-Pearson, Biometrics 44, 1988) with the fast midrank
/// algorithm of Sun &amp; Xu (IEEE Signal Processing Letters 21, 2014): each AUC and its placement values come from
/// three midrank passes (positives, negatives, both) instead of comparing every positive with every negative.
/// Paired: both models scored the same rows, so the covariance of their AUCs enters the variance of the difference.
/// Unpaired (a canary and the champion on different requests): the two AUCs are independent and their variances add.
/// </summary>
public static class DeLong
{
    /// <param name="positive">Per row, whether the actual is the positive class; the same rows for both scores.</param>
    public static DifferenceTest Paired(ReadOnlySpan<bool> positive, ReadOnlySpan<double> champion, ReadOnlySpan<double> challenger)
    {
        if (champion.Length != positive.Length || challenger.Length != positive.Length)
            throw new ArgumentException("Both scores belong to the same labelled rows.", nameof(challenger));
        var a = Placements(positive, champion);
        var b = Placements(positive, challenger);
        // Var(A − B) = (S10_AA + S10_BB − 2 S10_AB)/m + (S01_AA + S01_BB − 2 S01_AB)/n.
        var s10 = Covariance(a.V10, a.V10) + Covariance(b.V10, b.V10) - 2 * Covariance(a.V10, b.V10);
        var s01 = Covariance(a.V01, a.V01) + Covariance(b.V01, b.V01) - 2 * Covariance(a.V01, b.V01);
        var variance = s10 / a.V10.Length + s01 / a.V01.Length;
        return DifferenceTest.Normal("DeLong (paired)", b.Auc - a.Auc, Math.Sqrt(Math.Max(0, variance)));
    }

    public static DifferenceTest Unpaired(ReadOnlySpan<bool> championPositive, ReadOnlySpan<double> champion,
        ReadOnlySpan<bool> challengerPositive, ReadOnlySpan<double> challenger)
    {
        var a = Placements(championPositive, champion);
        var b = Placements(challengerPositive, challenger);
        return DifferenceTest.Normal("DeLong (unpaired)", b.Auc - a.Auc, Math.Sqrt(Math.Max(0, a.Variance + b.Variance)));
    }

    /// <summary>The AUC and its DeLong variance for one model's scores.</summary>
    public static (double Auc, double Variance) Auc(ReadOnlySpan<bool> positive, ReadOnlySpan<double> scores)
    {
        var p = Placements(positive, scores);
        return (p.Auc, p.Variance);
    }

    private sealed record Placement(double Auc, double[] V10, double[] V01)
    {
        public double Variance => Covariance(V10, V10) / V10.Length + Covariance(V01, V01) / V01.Length;
    }

    /// <summary>Sun &amp; Xu's Algorithm: V10 (per positive) = share of negatives it outranks, V01 (per negative) = share of positives that outrank it; ties count ½.</summary>
    private static Placement Placements(ReadOnlySpan<bool> positive, ReadOnlySpan<double> scores)
    {
        if (scores.Length != positive.Length)
            throw new ArgumentException("One score per labelled row.", nameof(scores));
        var x = new List<double>();
        var y = new List<double>();
        for (var i = 0; i < scores.Length; i++)
            (positive[i] ? x : y).Add(scores[i]);
        int m = x.Count, n = y.Count;
        if (m < 2 || n < 2)
            throw new ArgumentException("DeLong's variance needs at least two positive and two negative rows.", nameof(positive));
        var tx = Midranks(x);
        var ty = Midranks(y);
        var tz = Midranks([.. x, .. y]);
        var v10 = new double[m];
        var v01 = new double[n];
        var rankSum = 0.0;
        for (var i = 0; i < m; i++)
        {
            v10[i] = (tz[i] - tx[i]) / n;
            rankSum += tz[i];
        }
        for (var j = 0; j < n; j++)
            v01[j] = 1 - (tz[m + j] - ty[j]) / m;
        var auc = (rankSum - m * (m + 1) / 2.0) / ((double)m * n);
        return new Placement(auc, v10, v01);
    }

    /// <summary>1-based ranks, ties given the mean of the ranks they span.</summary>
    private static double[] Midranks(IReadOnlyList<double> values)
    {
        var order = Enumerable.Range(0, values.Count).ToArray();
        Array.Sort(order, (i, j) => values[i].CompareTo(values[j]));
        var ranks = new double[values.Count];
        for (var i = 0; i < order.Length;)
        {
            var j = i;
            while (j < order.Length && values[order[j]] == values[order[i]])
                j++;
            var mid = (i + 1 + j) / 2.0; // ranks i+1 … j
            for (var k = i; k < j; k++)
                ranks[order[k]] = mid;
            i = j;
        }
        return ranks;
    }

    private static double Covariance(double[] a, double[] b)
    {
        double ma = a.Average(), mb = b.Average(), sum = 0;
        for (var i = 0; i < a.Length; i++)
            sum += (a[i] - ma) * (b[i] - mb);
        return sum / (a.Length - 1);
    }
}
