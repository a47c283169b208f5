namespace ControlPlane.Workers.Drift.Statistics;

/// <summary>
/// Pr(Dₙ ≤ d) by Durbin's matrix algorithm as Marsaglia, Tsang and Wang compute it (scipy's <c>_kolmogn_DMTW</c>):
/// the k-th diagonal entry of Hⁿ·n!/nⁿ, with binary powering and explicit binary exponents against overflow.
/// </summary>
internal static class DurbinMatrix
{
    private const int ScaleExponent = 128;
    private static readonly double Big = Math.ScaleB(1.0, ScaleExponent);
    private static readonly double Small = Math.ScaleB(1.0, -ScaleExponent);

    public static double Cdf(int n, double d)
    {
        if (d >= 1.0)
            return 1.0;
        var nd = n * d;
        if (nd <= 0.5)
            return 0.0;
        var k = (int)Math.Ceiling(nd);
        var h = k - nd;
        var m = 2 * k - 1;

        var v = new double[m];
        var w = new double[m];
        var fac = 1.0;
        for (var j = 1; j <= m; j++)
        {
            v[j - 1] = 1.0 - Math.Pow(h, j);
            w[j - 1] = fac;
            fac /= j;
            v[j - 1] *= fac;
        }
        var tt = Math.Pow(Math.Max(2 * h - 1.0, 0), m) - 2 * Math.Pow(h, m);
        v[m - 1] = (1.0 + tt) * fac;

        var hm = new double[m * m];
        for (var i = 1; i < m; i++)
            for (var r = i - 1; r < m; r++)
                hm[r * m + i] = w[r - (i - 1)];
        for (var r = 0; r < m; r++)
            hm[r * m] = v[r];
        for (var c = 0; c < m; c++)
            hm[(m - 1) * m + c] = v[m - 1 - c];

        var power = new double[m * m];
        for (var i = 0; i < m; i++)
            power[i * m + i] = 1.0;
        var scratch = new double[m * m];
        var nn = n;
        var exponent = 0;
        var hExponent = 0;
        while (nn > 0)
        {
            if (nn % 2 == 1)
            {
                Multiply(power, hm, scratch, m);
                (power, scratch) = (scratch, power);
                exponent += hExponent;
            }
            Multiply(hm, hm, scratch, m);
            (hm, scratch) = (scratch, hm);
            hExponent *= 2;
            if (Math.Abs(hm[(k - 1) * m + (k - 1)]) > Big)
            {
                for (var i = 0; i < hm.Length; i++)
                    hm[i] /= Big;
                hExponent += ScaleExponent;
            }
            nn /= 2;
        }

        var p = power[(k - 1) * m + (k - 1)];
        for (var i = 1; i <= n; i++)
        {
            p = i * p / n;
            if (Math.Abs(p) < Small)
            {
                p *= Big;
                exponent -= ScaleExponent;
            }
        }
        if (exponent != 0)
            p = Math.ScaleB(p, exponent);
        return KolmogorovDistribution.Clip(p);
    }

    private static void Multiply(double[] a, double[] b, double[] result, int m)
    {
        Array.Clear(result);
        for (var i = 0; i < m; i++)
        {
            var row = result.AsSpan(i * m, m);
            for (var l = 0; l < m; l++)
            {
                var factor = a[i * m + l];
                if (factor == 0)
                    continue;
                var bRow = b.AsSpan(l * m, m);
                for (var j = 0; j < m; j++)
                    row[j] += factor * bRow[j];
            }
        }
    }
}
