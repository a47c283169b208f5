using ControlPlane.Domain.Production;
using ControlPlane.Workers.Drift.Statistics;
using ControlPlane.Workers.Production;

namespace ControlPlane.Workers.Tests.Production;

/// <summary>Windows are judged by tests whatever the reference's size: a small window is not "drifted" by a distance's sampling noise.</summary>
public sealed class WindowDriftMethodTests
{
    [Fact]
    public void A_window_of_100_rows_from_the_reference_population_is_tested_not_measured_and_does_not_drift()
    {
        var random = new Random(7);
        double[] Normal(int n) => [.. Enumerable.Range(0, n).Select(_ => 41 + 11 * Math.Sqrt(-2 * Math.Log(1 - random.NextDouble())) * Math.Cos(2 * Math.PI * random.NextDouble()))];
        string?[] Channels(int n) => [.. Enumerable.Range(0, n).Select(_ => random.NextDouble() < 0.3 ? "online" : "branch")];
        var reference = new[] { DriftColumnInput.Numerical("age", Normal(3_000)), DriftColumnInput.Categorical("channel", Channels(3_000)) };
        var window = new[] { DriftColumnInput.Numerical("age", Normal(100)), DriftColumnInput.Categorical("channel", Channels(100)) };

        var asWindow = DriftEngine.Compare(reference, window, WindowDrift.Options(new ProductionMonitorSettings()));
        var asDataset = DriftEngine.Compare(reference, window);

        Assert.Equal([DriftMethod.KolmogorovSmirnov, DriftMethod.ChiSquare], asWindow.Columns.Select(c => c.Tests[0].Method));
        Assert.All(asWindow.Columns, c => Assert.NotNull(c.Tests[0].AdjustedPValue));
        Assert.False(asWindow.DatasetDrift);
        // The dataset comparison's own default for a 3,000-row reference is the distances.
        Assert.Equal([DriftMethod.Wasserstein, DriftMethod.JensenShannon], asDataset.Columns.Select(c => c.Tests[0].Method));
    }
}
