using ControlPlane.Workers.Comparison.Statistics;

namespace ControlPlane.Workers.Tests.Comparison;

public sealed class TwoProportionsTests
{
    [Fact]
    public void Canary_accuracy_against_the_champion_worked_by_hand()
    {
        // Champion 45 of 60 right, challenger 30 of 50. Pooled p̂ = 75/110, SE √(p̂(1−p̂)(1/60 + 1/50)) for the test;
        // unpooled √(.75·.25/60 + .6·.4/50) for the interval. Digits from python3 + mpmath 1.3 (Φ by ncdf).
        var test = TwoProportions.Test(45, 60, 30, 50);

        Assert.Equal(-0.15, test.Difference, 12);
        Assert.Equal(0.0926006978206758096, test.PValue, 12);
        Assert.Equal(0.0463003489103379048, test.PBelow, 12);
        Assert.Equal(-0.324480833199526362, test.Lower, 12);
        Assert.Equal(0.0244808331995263625, test.Upper, 12);
    }
}
