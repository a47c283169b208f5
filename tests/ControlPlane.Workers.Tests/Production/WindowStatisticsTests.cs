using System.Globalization;
using System.Text;
using ControlPlane.Domain.Production;
using ControlPlane.Workers.Drift.Statistics;
using static ControlPlane.Workers.Tests.Production.ProductionHost;

namespace ControlPlane.Workers.Tests.Production;

/// <summary>A window's figures from real Parquet segments through DuckDB, against hand-computed values and the drift engine run directly on the same rows.</summary>
public sealed class WindowStatisticsTests
{
    private static double X(int i, int shift) => (i * 7 % 50) + shift;
    private static string Segment(int i) => new[] { "a", "b", "c" }[i % 3];

    [Fact]
    public async Task Window_figures_equal_hand_computed_values_and_the_drift_engine_on_the_same_rows()
    {
        await using var p = await ProductionHost.StartAsync();
        var csv = new StringBuilder("x,seg\n");
        for (var i = 0; i < 200; i++)
            csv.Append(CultureInfo.InvariantCulture, $"{i % 50},{Segment(i)}\n");
        var reference = await p.ReferenceAsync("applications", csv.ToString());
        var monitor = await p.MonitorAsync(new ProductionMonitorSettings(), reference);

        // 07:00: like the reference. 08:00: x shifted, "seg" tilted to "a", in two segments of which only the second logs "extra".
        var seven = Enumerable.Range(0, 120).Select(i => new PredictionRow($"s{i}", Seven.AddSeconds(i * 20), Score: (i * 13 % 100) / 100.0, LatencyMs: 5,
            Features: new Dictionary<string, object?> { ["x"] = X(i, 0), ["seg"] = Segment(i) })).ToArray();
        var eight = Enumerable.Range(0, 150).Select(i => new PredictionRow($"e{i}", Eight.AddSeconds(i * 20), Score: (i * 17 % 100) / 100.0 * 0.5 + 0.4,
            LatencyMs: i + 1, Error: i % 25 == 0 ? "timeout" : null,
            Features: new Dictionary<string, object?> { ["x"] = i % 10 == 0 ? null : X(i, 20), ["seg"] = i % 2 == 0 ? "a" : Segment(i) })).ToArray();
        foreach (var row in eight.Skip(100))
            ((Dictionary<string, object?>)row.Features!)["extra"] = (double)(row.Id.Length + 1);
        await p.PredictionsAsync(Seven.AddMinutes(61), seven);
        await p.PredictionsAsync(Eight.AddMinutes(61), eight[..100]);
        await p.PredictionsAsync(Eight.AddMinutes(62), eight[100..]);

        Assert.Equal(2, await p.RunAsync(monitor));
        var window = await p.WindowAsync(monitor, Eight);

        // Counts, errors and latency (numpy's linear quantiles of 1..150, as quantile_cont computes them).
        Assert.Equal((150L, 6L), (window.Predictions, window.Errors));
        Assert.Equal(0.04, window.ErrorRate!.Value, 12);
        Assert.Equal(new LatencyFigures(150, 75.5, 75.5, 142.55, 148.51), window.Latency! with
        {
            P95 = Math.Round(window.Latency!.P95, 9), P99 = Math.Round(window.Latency.P99, 9),
        });
        Assert.Equal([new ServedSlice(1, "primary", 150)], window.Served);
        Assert.Equal(["extra", "seg", "x"], window.Features.Select(f => f.Name));
        Assert.Equal(100 / 150.0, window.Features[0].MissingRate, 12);
        Assert.Equal(0, window.Features[1].MissingRate);
        Assert.Equal(0.1, window.Features[2].MissingRate, 12);

        // Against the reference: x and seg are one Benjamini–Hochberg family; "extra" is not in the reference.
        var options = DriftOptions.Default with
        {
            BenjaminiHochberg = true,
            DriftShareThreshold = 0.5,
            Thresholds = new Dictionary<DriftMethod, double>(DriftOptions.DefaultThresholds) { [DriftMethod.KolmogorovSmirnov] = 0.05, [DriftMethod.ChiSquare] = 0.05 },
        };
        var referenceX = Enumerable.Range(0, 200).Select(i => (double)(i % 50)).ToArray();
        var referenceSeg = Enumerable.Range(0, 200).Select(Segment).ToArray();
        var currentX = eight.Select(r => r.Features!["x"] is double d ? d : double.NaN).ToArray();
        var currentSeg = eight.Select(r => (string?)r.Features!["seg"]).ToArray();
        var expected = DriftEngine.Compare(
            [DriftColumnInput.Numerical("x", referenceX), DriftColumnInput.Categorical("seg", referenceSeg)],
            [DriftColumnInput.Numerical("x", currentX), DriftColumnInput.Categorical("seg", currentSeg)], options);
        AssertSame(expected.Columns.Single(c => c.Name == "x"), window.Features[2].VsReference);
        AssertSame(expected.Columns.Single(c => c.Name == "seg"), window.Features[1].VsReference);
        Assert.Null(window.Features[0].VsReference);
        Assert.Equal(expected.DatasetDrift, window.Drifted);
        Assert.True(window.Drifted);
        Assert.Contains(window.Warnings, w => w.Contains("'extra'", StringComparison.Ordinal));

        // Against the previous window: the features both windows have, and the score.
        var previous = DriftEngine.Compare(
            [DriftColumnInput.Numerical("x", seven.Select(r => (double)r.Features!["x"]!).ToArray()), DriftColumnInput.Categorical("seg", seven.Select(r => (string?)r.Features!["seg"]).ToArray())],
            [DriftColumnInput.Numerical("x", eight.Select(r => r.Features!["x"] is double d ? d : double.NaN).ToArray()), DriftColumnInput.Categorical("seg", currentSeg)], options);
        AssertSame(previous.Columns.Single(c => c.Name == "x"), window.Features[2].VsPrevious);
        AssertSame(previous.Columns.Single(c => c.Name == "seg"), window.Features[1].VsPrevious);
        Assert.Null(window.Features[0].VsPrevious);
        var output = DriftEngine.Compare([DriftColumnInput.Numerical("score", seven.Select(r => r.Score!.Value).ToArray())],
            [DriftColumnInput.Numerical("score", eight.Select(r => r.Score!.Value).ToArray())], options);
        AssertSame(output.Columns[0], window.OutputVsPrevious);

        // The first window has no previous one.
        var first = await p.WindowAsync(monitor, Seven);
        Assert.All(first.Features, f => Assert.Null(f.VsPrevious));
        Assert.Null(first.OutputVsPrevious);
    }

    private static void AssertSame(ColumnDriftResult expected, DriftFigure? actual)
    {
        Assert.NotNull(actual);
        var test = expected.Tests[0];
        Assert.Equal((test.Method.ToString(), expected.Drifted, (long)expected.ReferenceCount, (long)expected.CurrentCount),
            (actual.Method, actual.Drifted, actual.ReferenceRows, actual.CurrentRows));
        Assert.Equal(test.Statistic, actual.Statistic, 12);
        Assert.Equal(test.PValue is null, actual.PValue is null);
        if (test.PValue is { } pValue)
        {
            Assert.Equal(pValue, actual.PValue!.Value, 12);
            Assert.Equal(test.AdjustedPValue!.Value, actual.AdjustedPValue!.Value, 12);
        }
    }
}
