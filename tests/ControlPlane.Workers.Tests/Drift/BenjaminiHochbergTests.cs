using ControlPlane.Workers.Drift.Statistics;

namespace ControlPlane.Workers.Tests.Drift;

/// <summary>
/// Benjamini–Hochberg against scipy.stats.false_discovery_control (scipy >= 1.11, not in 1.10.1), written out in numpy:
/// <code>
/// def bh(ps):
///     ps = np.asarray(ps, float); order = np.argsort(ps); s = ps[order]; m = len(ps); i = np.arange(1, m + 1)
///     s = s * (m / i); s = np.minimum.accumulate(s[::-1])[::-1]; out = np.empty(m); out[order] = np.clip(s, 0, 1); return out
/// </code>
/// </summary>
public sealed class BenjaminiHochbergTests
{
    [Fact]
    public void Adjusted_values_match_the_numpy_formula()
    {
        double[] ps = [0.01, 0.04, 0.03, 0.2, 0.5, 0.001, 0.04];

        var adjusted = BenjaminiHochberg.Adjust(ps);

        Assert.Equal([0.035, 0.055999999999999994, 0.055999999999999994, 0.23333333333333336, 0.5, 0.007, 0.055999999999999994], adjusted);
    }

    [Fact]
    public void By_hand_two_p_values()
    {
        // m = 2: the larger stays (0.04·2/2), the smaller becomes min(0.03·2/1, 0.04) = 0.04.
        Assert.Equal([0.04, 0.04], BenjaminiHochberg.Adjust([0.03, 0.04]));
        Assert.Equal([1.0], BenjaminiHochberg.Adjust([1.0]));
        Assert.Empty(BenjaminiHochberg.Adjust([]));
    }
}
