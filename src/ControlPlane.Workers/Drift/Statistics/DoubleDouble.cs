namespace ControlPlane.Workers.Drift.Statistics;

/// <summary>
/// Double-double arithmetic (hi + lo, ~106 bits), the subset of the QD library's operations that scipy's cephes
/// <c>smirnov</c> uses (scipy/special/cephes/dd_real_inline.h), step for step so results match scipy's.
/// </summary>
internal readonly record struct DoubleDouble(double Hi, double Lo)
{
    public static readonly DoubleDouble Zero = new(0, 0);
    public static readonly DoubleDouble One = new(1, 0);

    public bool IsZero => Hi == 0;
    public bool IsFinite => double.IsFinite(Hi);

    public static DoubleDouble Add(double a, double b)
    {
        var s = TwoSum(a, b, out var e);
        return new(s, e);
    }

    public static DoubleDouble Subtract(double a, double b)
    {
        var s = TwoDiff(a, b, out var e);
        return new(s, e);
    }

    public static DoubleDouble Multiply(double a, double b)
    {
        var p = TwoProd(a, b, out var e);
        return new(p, e);
    }

    public static DoubleDouble Divide(double a, double b) => new DoubleDouble(a, 0) / new DoubleDouble(b, 0);

    public static DoubleDouble operator -(DoubleDouble a) => new(-a.Hi, -a.Lo);

    // IEEE-style addition (Briggs and Kahan), the one dd_add uses.
    public static DoubleDouble operator +(DoubleDouble a, DoubleDouble b)
    {
        var s1 = TwoSum(a.Hi, b.Hi, out var s2);
        var t1 = TwoSum(a.Lo, b.Lo, out var t2);
        s2 += t1;
        s1 = QuickTwoSum(s1, s2, out s2);
        s2 += t2;
        s1 = QuickTwoSum(s1, s2, out s2);
        return new(s1, s2);
    }

    public static DoubleDouble operator -(DoubleDouble a, DoubleDouble b) => a + -b;

    public static DoubleDouble operator +(DoubleDouble a, double b)
    {
        var s1 = TwoSum(a.Hi, b, out var s2);
        s2 += a.Lo;
        s1 = QuickTwoSum(s1, s2, out s2);
        return new(s1, s2);
    }

    public static DoubleDouble operator -(DoubleDouble a, double b) => a + -b;

    public static DoubleDouble operator -(double a, DoubleDouble b)
    {
        var s1 = TwoSum(a, -b.Hi, out var s2);
        s2 -= b.Lo;
        s1 = QuickTwoSum(s1, s2, out s2);
        return new(s1, s2);
    }

    public static DoubleDouble operator *(DoubleDouble a, DoubleDouble b)
    {
        var p1 = TwoProd(a.Hi, b.Hi, out var p2);
        p2 += a.Hi * b.Lo + a.Lo * b.Hi;
        p1 = QuickTwoSum(p1, p2, out p2);
        return new(p1, p2);
    }

    public static DoubleDouble operator *(double a, DoubleDouble b)
    {
        var p1 = TwoProd(a, b.Hi, out var e1);
        var p2 = TwoProd(a, b.Lo, out var e2);
        p1 = QuickTwoSum(p1, e2 + p2 + e1, out e1);
        return new(p1, e1);
    }

    // dd_accurate_div: three partial quotients.
    public static DoubleDouble operator /(DoubleDouble a, DoubleDouble b)
    {
        var q1 = a.Hi / b.Hi;
        var r = a - MultiplyBy(b, q1);
        var q2 = r.Hi / b.Hi;
        r -= MultiplyBy(b, q2);
        var q3 = r.Hi / b.Hi;
        q1 = QuickTwoSum(q1, q2, out q2);
        return new DoubleDouble(q1, q2) + q3;
    }

    public static DoubleDouble operator /(DoubleDouble a, double b) => a / new DoubleDouble(b, 0);
    public static DoubleDouble operator /(double a, DoubleDouble b) => new DoubleDouble(a, 0) / b;

    public DoubleDouble Inverse() => One / this;

    public DoubleDouble Floor()
    {
        var hi = Math.Floor(Hi);
        var lo = 0.0;
        if (hi == Hi)
        {
            lo = Math.Floor(Lo);
            hi = QuickTwoSum(hi, lo, out lo);
        }
        return new(hi, lo);
    }

    /// <summary>Significand in [0.5, 1) (or exactly 1 with a negative tail), as C's frexp.</summary>
    public DoubleDouble Frexp(out int exponent)
    {
        var man = CFrexp(Hi, out exponent);
        var b1 = Math.ScaleB(Lo, -exponent);
        if (Math.Abs(man) == 0.5 && man * b1 < 0)
        {
            man *= 2;
            b1 *= 2;
            exponent -= 1;
        }
        return new(man, b1);
    }

    public DoubleDouble Ldexp(int exponent) => new(Math.ScaleB(Hi, exponent), Math.ScaleB(Lo, exponent));

    public static double CFrexp(double x, out int exponent)
    {
        if (x == 0 || !double.IsFinite(x))
        {
            exponent = 0;
            return x;
        }
        exponent = Math.ILogB(x) + 1;
        return Math.ScaleB(x, -exponent);
    }

    private static DoubleDouble MultiplyBy(DoubleDouble a, double b)
    {
        var p1 = TwoProd(a.Hi, b, out var e1);
        var p2 = TwoProd(a.Lo, b, out var e2);
        p1 = QuickTwoSum(p1, e2 + p2 + e1, out e1);
        return new(p1, e1);
    }

    private static double QuickTwoSum(double a, double b, out double err)
    {
        var s = a + b;
        err = b - (s - a);
        return s;
    }

    private static double TwoSum(double a, double b, out double err)
    {
        var s = a + b;
        var c = s - a;
        var d = b - c;
        var e = s - c;
        err = (a - e) + d;
        return s;
    }

    private static double TwoDiff(double a, double b, out double err)
    {
        var s = a - b;
        var c = s - a;
        var d = b + c;
        var e = s - c;
        err = (a - e) - d;
        return s;
    }

    // The rounding error of a product is exactly representable; a fused multiply-add yields it
    // (the same value as QD's Dekker split).
    private static double TwoProd(double a, double b, out double err)
    {
        var p = a * b;
        err = Math.FusedMultiplyAdd(a, b, -p);
        return p;
    }
}
