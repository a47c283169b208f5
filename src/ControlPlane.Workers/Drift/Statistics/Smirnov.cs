namespace ControlPlane.Workers.Drift.Statistics;

/// <summary>
/// Survival function of the one-sided one-sample Kolmogorov–Smirnov statistic D⁺ₙ: scipy.special.smirnov(n, x),
/// ported from scipy 1.10's cephes kolmogorov.c (van Mulbregt's double-double summation of the Birnbaum–Tingey /
/// Smirnov series). Only the survival function is kept; the CDF and PDF that cephes computes alongside are not needed.
/// </summary>
internal static class Smirnov
{
    // cephes MINLOG: log(2^-1075).
    private const double MinLog = -7.451332191019412076235E2;
    private const double DblEpsilon = 2.220446049250313e-16;
    private const int MaxComputeN = 1_000_000;
    private const int UpperSumMaxTerms = 3;
    private const int UpperSumMinN = 10;
    // Below 2^-960 the low word of a double-double would lose normalisation.
    private const int MaxExponent = 960;

    public static double Sf(int n, double x)
    {
        if (!(n > 0 && x >= 0.0 && x <= 1.0))
            return double.NaN;
        if (n == 1)
            return 1 - x;
        if (x == 0.0)
            return 1.0;
        if (x == 1.0)
            return 0.0;

        var alpha = ModNX(n, x, out var nxfl, out _);
        var n1mxfl = n - nxfl - (alpha == 0 ? 0 : 1);
        var n1mxceil = n - nxfl;
        // With alpha 0 the last term belongs to neither summation.
        if (alpha == 0)
        {
            n1mxfl -= 1;
            n1mxceil += 1;
        }

        if (nxfl == 0 || (nxfl == 1 && alpha == 0))
        {
            var t = Pow(DoubleDouble.Add(1, x), n - 1).Hi;
            return Clip(1 - x * t);
        }
        if (-2 * n * x * x < MinLog)
            return 0;
        if (nxfl >= n - 1)
            return Clip(Pow(DoubleDouble.Add(1, -x), n).Hi);
        if (n > MaxComputeN)
        {
            // p ~ e^(-(6nx+1)^2 / 18n)
            var logp = -Math.Pow(6.0 * n * x + 1, 2) / 18.0 / n;
            return Clip(logp < -Math.Log(2) ? Math.Exp(logp) : 1 - -ExpMinusOne(logp));
        }

        // The upper sum alternates in sign and loses about 1.6 bits a term: only for a few terms.
        var nUpperTerms = n - n1mxceil + 1;
        var useUpperSum = (nUpperTerms <= 1 && x < 0.5)
            || (n >= UpperSumMinN && nUpperTerms <= UpperSumMaxTerms && x <= 0.5 / Math.Sqrt(n));

        int start = 0, step = 1, nTerms = n1mxfl + 1;
        var vmid = n / 2;
        var cman = DoubleDouble.One;
        var cexpt = 0;
        DoubleDouble aj;
        if (useUpperSum)
        {
            start = n;
            step = -1;
            nTerms = n - n1mxceil + 1;
            aj = Pow4(1, x, 1, 0, n - 1);
        }
        else
        {
            aj = Pow4(1, -x, 1, 0, n) / x;
        }
        var ajSum = DoubleDouble.Zero + aj;
        UpdateBinomial(ref cman, ref cexpt, n, 0);

        for (var j = 1; j < nTerms; j++)
        {
            var v = start + j * step;
            aj = TermAv(n, x, v, cman, cexpt);
            if (aj.IsFinite && !aj.IsZero)
                ajSum += aj;
            if (!aj.IsZero)
            {
                if (4.0 * (nTerms - j) * Math.Abs(aj.Hi) < DblEpsilon * ajSum.Hi && j != nTerms - 1)
                    break;
            }
            else if (j > vmid)
            {
                break;
            }
            UpdateBinomial(ref cman, ref cexpt, n, j);
        }

        var prob = (x * ajSum).Hi;
        return Clip(step < 0 ? 1 - prob : prob);
    }

    private static double Clip(double p) => p < 0 ? 0 : Math.Min(p, 1);

    /// <summary>floor(n·x) and the remainder, exactly.</summary>
    private static double ModNX(int n, double x, out int nxFloor, out double nx)
    {
        var nxD = DoubleDouble.Multiply(n, x);
        var floorD = nxD.Floor();
        var alpha = (nxD - floorD).Hi;
        nxFloor = (int)floorD.Hi;
        if (alpha == 1)
        {
            nxFloor += 1;
            alpha = 0;
        }
        nx = nxD.Hi;
        return alpha;
    }

    // The binomial coefficient overflows a double: kept as a significand in [0.5, 1) and a binary exponent.
    private static void UpdateBinomial(ref DoubleDouble cman, ref int cexpt, int n, int j)
    {
        var ratio = DoubleDouble.Divide(n - j, j + 1.0);
        cman = (cman * ratio).Frexp(out var expt);
        cexpt += expt;
    }

    /// <summary>A_v(n, x) = C(n, v) (1 − x − v/n)^(n−v) (x + v/n)^(v−1).</summary>
    private static DoubleDouble TermAv(int n, double x, int v, DoubleDouble cman, int cexpt)
    {
        var t2 = PowScaled(DoubleDouble.Divide(n - v, n) - x, n - v, out var t2E);
        var t1 = PowScaled(DoubleDouble.Divide(v, n) + x, v - 1, out var t1E);
        var product = t1 * t2 * cman;
        return product.Ldexp(cexpt + t1E + t2E);
    }

    // a^m with pow() on the high word and a first-order correction for the low word, as cephes pow_D.
    private static DoubleDouble Pow(DoubleDouble a, int m)
    {
        if (m <= 0)
            return m == 0 ? DoubleDouble.One : Pow(a, -m).Inverse();
        if (a.IsZero)
            return DoubleDouble.Zero;
        var ans = Math.Pow(a.Hi, m);
        var r = a.Lo / a.Hi;
        var adj = m * r;
        if (Math.Abs(adj) > 1e-8)
        {
            if (Math.Abs(adj) < 1e-4)
                adj += m * r * ((m - 1) / 2.0 * r);
            else
                adj = ExpMinusOne(m * LogOnePlus(r));
        }
        return DoubleDouble.Add(ans, ans * adj);
    }

    /// <summary>a^m as a significand and a binary exponent, splitting the power so nothing underflows.</summary>
    private static DoubleDouble PowScaled(DoubleDouble a, int m, out int exponent)
    {
        if (m <= 0)
        {
            if (m == 0)
            {
                exponent = 0;
                return DoubleDouble.One;
            }
            var inverse = PowScaled(a, -m, out var e1).Inverse().Frexp(out var e2);
            exponent = -e1 + e2;
            return inverse;
        }
        var y = a.Frexp(out var yE);
        if (m == 1)
        {
            exponent = yE;
            return y;
        }
        var maxExpt = MaxExponent;
        if (m * (y.Hi - 1) / y.Hi < -MaxExponent * Math.Log(2))
        {
            var lg2y = Math.Log(y.Hi) / Math.Log(2);
            if (m * lg2y <= -MaxExponent)
                maxExpt = (int)(NextPowerOf2(-MaxExponent / lg2y + 1) / 2);
        }
        if (m <= maxExpt)
        {
            var whole = Pow(y, m).Frexp(out var wholeE);
            exponent = wholeE + m * yE;
            return whole;
        }
        var q = m / maxExpt;
        var rest = m % maxExpt;
        // y^m = (y^maxExpt)^q * y^rest
        var y2r = PowScaled(y, rest, out var y2rE);
        var y2m = PowScaled(y, maxExpt, out var y2mE);
        var y2mq = PowScaled(y2m, q, out var y2mqE);
        var ans = (y2r * y2mq).Frexp(out var ansE);
        y2mqE += y2mE * q;
        exponent = ansE + y2mqE + y2rE + m * yE;
        return ans;
    }

    /// <summary>((a + b)/(c + d))^m.</summary>
    private static DoubleDouble Pow4(double a, double b, double c, double d, int m)
    {
        if (m <= 0)
            return m == 0 ? DoubleDouble.One : Pow4(c, d, a, b, -m);
        var numerator = DoubleDouble.Add(a, b);
        var denominator = DoubleDouble.Add(c, d);
        if (numerator.IsZero)
            return denominator.IsZero ? new(double.NaN, double.NaN) : DoubleDouble.Zero;
        if (denominator.IsZero)
            return numerator.Hi < 0 ? new(double.NegativeInfinity, 0) : new(double.PositiveInfinity, 0);
        return Pow(numerator / denominator, m);
    }

    private static double NextPowerOf2(double x)
    {
        var q = Math.ScaleB(x, 1 - 53);
        var l = Math.Abs(q + x);
        if (l == 0)
            return Math.Abs(x);
        var lint = (int)l;
        return lint == l ? lint : l;
    }

    // .NET's double.ExpM1/LogP1 are exp(x) − 1 and log(1 + x); these keep full precision near 0 (Kahan's tricks).
    internal static double ExpMinusOne(double x)
    {
        var u = Math.Exp(x);
        if (u == 1.0)
            return x;
        var um1 = u - 1.0;
        return um1 == -1.0 ? -1.0 : um1 * x / Math.Log(u);
    }

    internal static double LogOnePlus(double x)
    {
        var u = 1.0 + x;
        return u == 1.0 ? x : Math.Log(u) * x / (u - 1.0);
    }
}
