namespace ControlPlane.Workers.Drift.Statistics;

/// <summary>
/// Exact two-sided p-value of the two-sample Kolmogorov–Smirnov test, ported from scipy 1.10's
/// <c>_attempt_exact_2kssamp</c>: Pr(D ≥ h/lcm(n₁, n₂)) by counting lattice paths (Hodges' treatment of
/// Drion/Gnedenko/Korolyuk; Viehmann's recursion for 1 − p inside the band).
/// </summary>
internal static class KolmogorovSmirnovExact
{
    /// <summary>The p-value, or null where scipy's attempt fails (it then falls back to the asymptotic one).</summary>
    /// <param name="h">The statistic in units of 1/lcm: D = h / lcm(n₁, n₂), h ≥ 1.</param>
    public static double? PValue(int n1, int n2, int g, long h)
    {
        var p = n1 == n2 ? ProbabilityOutsideSquare(n1, h) : OuterProbabilityInside(n1, n2, g, h);
        return p is >= 0 and <= 1 ? p : null;
    }

    /// <summary>
    /// Pr(D_{n,n} ≥ h/n) = 2·Σ (−1)^(k−1) C(2n, n − kh)/C(2n, n), as a Horner-like product to avoid cancellation.
    /// </summary>
    internal static double ProbabilityOutsideSquare(int n, long h)
    {
        var total = 0.0;
        var k = (long)Math.Floor((double)n / h);
        while (k >= 0)
        {
            var p1 = 1.0;
            for (long j = 0; j < h; j++)
                p1 = (n - k * h - j) * p1 / (n + k * h + j + 1);
            total = p1 * (1.0 - total);
            k--;
        }
        return 2 * total;
    }

    /// <summary>
    /// The share of lattice paths from (0, 0) to (m, n) that leave the band |x/m − y/n| &lt; h/lcm(m, n), built column
    /// by column over a sliding window (scipy's pythran <c>_compute_outer_prob_inside_method</c>).
    /// </summary>
    internal static double OuterProbabilityInside(int m, int n, int g, long h)
    {
        if (m < n)
            (m, n) = (n, m);
        long mg = m / g;
        long ng = n / g;

        var minj = 0;
        var maxj = (int)Math.Min((long)Math.Ceiling(h / (double)mg), n + 1);
        var curlen = maxj - minj;
        var lenA = Math.Min(2 * maxj + 2, n + 1);
        var a = new double[lenA];
        Array.Fill(a, 1.0);
        a.AsSpan(minj, maxj - minj).Clear();
        for (var i = 1; i <= m; i++)
        {
            var lastMinj = minj;
            var lastLen = curlen;
            minj = (int)Math.Max((long)Math.Floor((ng * i - h) / (double)mg) + 1, 0);
            minj = Math.Min(minj, n);
            maxj = (int)Math.Min((long)Math.Ceiling((ng * i + h) / (double)mg), n + 1);
            if (maxj <= minj)
                return 1.0;
            var val = minj == 0 ? 0.0 : 1.0;
            for (var jj = 0; jj < maxj - minj; jj++)
            {
                var j = jj + minj;
                val = (a[jj + minj - lastMinj] * i + val * j) / (i + j);
                a[jj] = val;
            }
            curlen = maxj - minj;
            if (lastLen > curlen)
            {
                // Carried-over entries outside the band count as paths that already left it.
                var from = maxj - minj;
                var to = Math.Min(from + (lastLen - curlen), lenA);
                a.AsSpan(from, to - from).Fill(1.0);
            }
        }
        return a[maxj - minj - 1];
    }
}
