namespace ControlPlane.Workers.Drift.Statistics;

/// <summary>
/// Pr(Dₙ ≤ d) by Pomeranz's recursion (scipy's <c>_kolmogn_Pomeranz</c>): 2n + 1 rows, each the convolution of the
/// previous one with almost-Poisson weights, keeping only the window of entries that can be non-zero.
/// </summary>
internal static class Pomeranz
{
    private const int ScaleExponent = 128;
    private static readonly double Big = Math.ScaleB(1.0, ScaleExponent);
    private static readonly double Small = Math.ScaleB(1.0, -ScaleExponent);

    public static double Cdf(int n, double x)
    {
        var t = n * x;
        var ll = (int)Math.Floor(t);
        var f = 1.0 * (t - ll);
        var g = Math.Min(f, 1.0 - f);
        var ceilf = f > 0 ? 1 : 0;
        var roundf = f > 0.5 ? 1 : 0;
        var npwrs = 2 * (ll + 1);
        var gPower = new double[npwrs];
        var twoGPower = new double[npwrs];
        var oneMinusTwoGPower = new double[npwrs];
        gPower[0] = twoGPower[0] = oneMinusTwoGPower[0] = 1.0;
        double gOverN = g / n, twoGOverN = 2 * g / n, oneMinusTwoGOverN = (1 - 2 * g) / n;
        for (var m = 1; m < npwrs; m++)
        {
            gPower[m] = gPower[m - 1] * gOverN / m;
            twoGPower[m] = twoGPower[m - 1] * twoGOverN / m;
            oneMinusTwoGPower[m] = oneMinusTwoGPower[m - 1] * oneMinusTwoGOverN / m;
        }

        var v0 = new double[npwrs];
        var v1 = new double[npwrs];
        v1[0] = 1;
        int v0s = 0, v1s = 0;
        var exponent = 0;
        var (j1, j2) = Window(0, n, ll, ceilf, roundf);
        for (var i = 1; i < 2 * n + 2; i++)
        {
            var k1 = j1;
            (v0, v1) = (v1, v0);
            (v0s, v1s) = (v1s, v0s);
            Array.Clear(v1);
            (j1, j2) = Window(i, n, ll, ceilf, roundf);
            var powers = i == 1 || i == 2 * n + 1 ? gPower : i % 2 == 1 ? twoGPower : oneMinusTwoGPower;
            var ln2 = j2 - k1 + 1;
            if (ln2 <= 0)
                continue;
            var source = v0.AsSpan(k1 - v0s, Math.Min(ln2, npwrs - (k1 - v0s)));
            var weights = powers.AsSpan(0, Math.Min(ln2, npwrs));
            var convStart = j1 - k1;
            var convLength = j2 - j1 + 1;
            var max = 0.0;
            for (var c = 0; c < convLength; c++)
            {
                // Full convolution entry convStart + c.
                var at = convStart + c;
                var sum = 0.0;
                var lo = Math.Max(0, at - (weights.Length - 1));
                var hi = Math.Min(at, source.Length - 1);
                for (var s = lo; s <= hi; s++)
                    sum += source[s] * weights[at - s];
                v1[c] = sum;
                max = Math.Max(max, sum);
            }
            if (0 < max && max < Small)
            {
                for (var c = 0; c < v1.Length; c++)
                    v1[c] *= Big;
                exponent -= ScaleExponent;
            }
            v1s = v0s + j1 - k1;
        }

        var ans = v1[n - v1s];
        for (var m = 1; m <= n; m++)
        {
            if (Math.Abs(ans) > Big)
            {
                ans *= Small;
                exponent += ScaleExponent;
            }
            ans *= m;
        }
        if (exponent != 0)
            ans = Math.ScaleB(ans, exponent);
        return KolmogorovDistribution.Clip(ans);
    }

    private static (int J1, int J2) Window(int i, int n, int ll, int ceilf, int roundf)
    {
        int j1, j2;
        if (i == 0)
        {
            j1 = -ll - ceilf - 1;
            j2 = ll + ceilf - 1;
        }
        else
        {
            var half = (i + 1) / 2;
            if ((i + 1) % 2 == 0)
            {
                if (half == n + 1)
                {
                    j1 = n - ll - ceilf - 1;
                    j2 = n + ll + ceilf - 1;
                }
                else
                {
                    j1 = half - 1 - ll - roundf - 1;
                    j2 = half + ll - 1 + ceilf - 1;
                }
            }
            else
            {
                j1 = half - 1 - ll - 1;
                j2 = half + ll + roundf - 1;
            }
        }
        return (Math.Max(j1 + 2, 0), Math.Min(j2, n));
    }
}
