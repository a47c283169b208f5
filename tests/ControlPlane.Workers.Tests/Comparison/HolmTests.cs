using ControlPlane.Workers.Comparison.Statistics;

namespace ControlPlane.Workers.Tests.Comparison;

public sealed class HolmTests
{
    [Fact]
    public void Adjusts_step_down_keeping_the_input_order_and_monotone()
    {
        // By hand: sorted 0.005, 0.01, 0.03, 0.04 with m = 4 → 4·0.005 = 0.02, 3·0.01 = 0.03, 2·0.03 = 0.06,
        // max(0.06, 1·0.04) = 0.06; back in input order.
        var adjusted = Holm.Adjust([0.01, 0.04, 0.03, 0.005]);
        Assert.Equal([0.03, 0.06, 0.06, 0.02], adjusted.Select(p => Math.Round(p, 12)));
    }

    [Fact]
    public void Caps_at_one_and_leaves_a_single_test_alone()
    {
        Assert.Equal([1.0, 1.0], Holm.Adjust([0.6, 0.9]));
        Assert.Equal([0.2], Holm.Adjust([0.2]));
    }
}
