namespace ControlPlane.Workers.Drift.Statistics;

/// <summary>
/// Pelz and Good's approximation to Pr(Dₙ ≤ x) (scipy's <c>_kolmogn_PelzGood</c>): the Li-Chien/Korolyuk expansion
/// K0 + K1/√n + K2/n + K3/n^1.5, each term rewritten with Jacobi theta identities so it converges for small z = x√n.
/// </summary>
internal static class PelzGood
{
    private const double MinLog = -708;
    // np.pi ** k, evaluated by pow() as numpy does.
    private static readonly double PiSquared = Math.Pow(Math.PI, 2);
    private static readonly double PiFour = Math.Pow(Math.PI, 4);
    private static readonly double PiSix = Math.Pow(Math.PI, 6);
    private static readonly double Sqrt2Pi = Math.Sqrt(2 * Math.PI);
    private static readonly double Sqrt3 = Math.Sqrt(3);

    public static double Cdf(int n, double x)
    {
        if (x <= 0.0)
            return 0.0;
        if (x >= 1.0)
            return 1.0;

        var z = Math.Sqrt(n) * x;
        double zSquared = Math.Pow(z, 2), zThree = Math.Pow(z, 3), zFour = Math.Pow(z, 4), zSix = Math.Pow(z, 6);
        var qLog = -PiSquared / 8 / zSquared;
        if (qLog < MinLog)
            return 0.0;
        var q = Math.Exp(qLog);

        var k1a = -zSquared;
        var k1b = PiSquared / 4;
        var k2a = 6 * zSix + 2 * zFour;
        var k2b = (2 * zFour - 5 * zSquared) * PiSquared / 4;
        var k2c = PiFour * (1 - 2 * zSquared) / 16;
        var k3d = PiSix * (5 - 30 * zSquared) / 64;
        var k3c = PiFour * (-60 * zSquared + 212 * zFour) / 16;
        var k3b = PiSquared * (135 * zFour - 96 * zSix) / 4;
        var k3a = -30 * zSix - 90 * Math.Pow(z, 8);

        // Horner in q^8k over odd m = 2k − 1.
        double k0 = 0, kk1 = 0, kk2 = 0, kk3 = 0;
        var maxK = (int)Math.Ceiling(16 * z / Math.PI);
        for (var k = maxK; k > 0; k--)
        {
            double m = 2 * k - 1;
            double mSquared = Math.Pow(m, 2), mFour = Math.Pow(m, 4), mSix = Math.Pow(m, 6);
            var qPower = Math.Pow(q, 8 * k);
            k0 = k0 * qPower + 1.0;
            kk1 = kk1 * qPower + (k1a + k1b * mSquared);
            kk2 = kk2 * qPower + (k2a + k2b * mSquared + k2c * mFour);
            kk3 = kk3 * qPower + (k3a + k3b * mSquared + k3c * mFour + k3d * mSix);
        }
        k0 = k0 * q * Sqrt2Pi / z;
        kk1 = kk1 * q * Sqrt2Pi / (6 * zFour);
        kk2 = kk2 * q * Sqrt2Pi / (72 * Math.Pow(z, 7));
        kk3 = kk3 * q * Sqrt2Pi / (6480 * Math.Pow(z, 10));

        // The remaining sums over all integers k for K2 and K3.
        q = Math.Exp(-PiSquared / 2 / zSquared);
        var sqrt3z = Sqrt3 * z;
        double k2Extra = 0, k3Extra = 0;
        for (var k = maxK; k > 0; k--)
        {
            double kSquared = k * k;
            var qPower = Math.Pow(q, kSquared);
            var kPi = Math.PI * k;
            k2Extra += kSquared * qPower;
            k3Extra += (sqrt3z + kPi) * (sqrt3z - kPi) * kSquared * qPower;
        }
        kk2 += k2Extra * (PiSquared * Sqrt2Pi / (-36 * zThree));
        kk3 += k3Extra * (PiSquared * Sqrt2Pi / (216 * zSix));

        return k0 + kk1 / Math.Pow(n, 0.5) + kk2 / Math.Pow(n, 1.0) + kk3 / Math.Pow(n, 1.5);
    }
}
