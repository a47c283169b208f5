namespace ControlPlane.Workers.Drift.Statistics;

/// <summary>
/// Both empirical CDFs walked together in one merged pass over the two sorted samples: the Kolmogorov–Smirnov
/// supremum (as scipy's floating point finds it) and the Wasserstein-1 distance, whose terms
/// |F₁(zₖ) − F₂(zₖ)|·(zₖ₊₁ − zₖ) over the pooled sorted values zₖ are summed in np.sum's order, as
/// scipy.stats.wasserstein_distance does, so the distance matches scipy's to the bit.
/// </summary>
internal readonly record struct EcdfComparison(double KsStatistic, double Wasserstein)
{
    /// <param name="reference">Sorted, finite, not empty.</param>
    /// <param name="current">Sorted, finite, not empty.</param>
    public static EcdfComparison Compute(ReadOnlySpan<double> reference, ReadOnlySpan<double> current)
    {
        int n1 = reference.Length, n2 = current.Length;
        // np.sum adds its terms a buffer at a time; so do we, without ever holding all of them.
        Span<double> terms = stackalloc double[NumpySum.BufferSize];
        var count = 0;
        var wasserstein = 0.0;
        int i = 0, j = 0;
        double maxDifference = 0, minDifference = 0;
        double value = 0, gap = 0;
        while (i < n1 || j < n2)
        {
            double next;
            if (i < n1 && j < n2)
            {
                double a = reference[i], b = current[j];
                next = a <= b ? a : b;
            }
            else
            {
                next = i < n1 ? reference[i] : current[j];
            }
            // The gap term of the previous value's last pooled copy reaches to this value.
            if (i + j > 0)
            {
                terms[count++] = gap * (next - value);
                if (count == terms.Length)
                {
                    wasserstein += NumpySum.Pairwise(terms);
                    count = 0;
                }
            }
            value = next;
            var runStart = i + j;
            while (i < n1 && reference[i] == value)
                i++;
            while (j < n2 && current[j] == value)
                j++;
            // Ties: every pooled copy but the last is followed by the same value, a zero-width gap.
            for (var tie = runStart + 1; tie < i + j; tie++)
            {
                terms[count++] = 0.0;
                if (count == terms.Length)
                {
                    wasserstein += NumpySum.Pairwise(terms);
                    count = 0;
                }
            }
            // F1 − F2 at this value (searchsorted side='right'), in scipy's floating point.
            var difference = (double)i / n1 - (double)j / n2;
            gap = Math.Abs(difference);
            maxDifference = Math.Max(maxDifference, difference);
            minDifference = Math.Min(minDifference, difference);
        }
        if (count > 0)
            wasserstein += NumpySum.Pairwise(terms[..count]);
        // scipy's D: the larger of max(F1 − F2) and −min(F1 − F2).
        var statistic = -minDifference > maxDifference ? -minDifference : maxDifference;
        return new(statistic, wasserstein);
    }
}
