using ControlPlane.Domain.Audit;
using ControlPlane.Domain.Comparisons;
using ControlPlane.Workers.Jobs;
using ControlPlane.Workers.Tests.Production;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using static ControlPlane.Workers.Tests.Production.ProductionHost;

namespace ControlPlane.Workers.Tests.Comparison;

/// <summary>The comparison job on real Parquet telemetry in the real store, read by DuckDB, against small cases worked by hand.</summary>
public sealed class ComparisonJobTests
{
    private static readonly string[] Truth = ["1", "0", "1", "0", "1", "0"];

    [Fact]
    public async Task Shadow_pairs_on_prediction_id_and_tests_accuracy_and_auc_on_the_labelled_pairs()
    {
        await using var p = await ProductionHost.StartAsync();
        double[] champion = [0.9, 0.8, 0.6, 0.4, 0.3, 0.1, 0.5];
        double[] challenger = [0.7, 0.2, 0.55, 0.45, 0.6, 0.35, 0.52];
        var primaries = champion.Select((s, i) => new PredictionRow($"p{i}", Eight.AddMinutes(i), Version: 1, Score: s, LatencyMs: 10 * (i + 1))).ToList();
        // p7: a primary nobody shadowed; q0, q1: another version's primaries (fewer: version 1 is the champion).
        primaries.Add(new PredictionRow("p7", Eight.AddMinutes(7), Version: 1, Score: 0.9, LatencyMs: 1000));
        primaries.Add(new PredictionRow("q0", Eight.AddMinutes(8), Version: 3, Score: 0.9));
        primaries.Add(new PredictionRow("q1", Eight.AddMinutes(9), Version: 3, Score: 0.9));
        var shadows = challenger.Select((s, i) => new PredictionRow($"p{i}", Eight.AddMinutes(i), Version: 2, Variant: "shadow", Score: s, LatencyMs: 5)).ToArray();
        await p.PredictionsAsync(Eight.AddMinutes(61), [.. primaries]);
        await p.PredictionsAsync(Eight.AddMinutes(62), shadows);
        // A repeat of p0's shadow received later with another score: the first received wins.
        await p.PredictionsAsync(Eight.AddMinutes(63), shadows[0] with { Score = 0.01 });
        // p1 first labelled 1, then corrected to 0: the last received wins. p6 never gets a label.
        await p.ActualsAsync(Eight.AddMinutes(70), new ActualRow("p1", "1", Eight.AddMinutes(30)));
        await p.ActualsAsync(Eight.AddMinutes(80), Truth.Select((t, i) => new ActualRow($"p{i}", t, Eight.AddMinutes(31 + i))).ToArray());

        var result = await RunAsync(p, challenger: 2, tolerance: 0.1);

        Assert.Equal("shadow", result.Mode);
        Assert.Equal(7, result.Pairs);
        Assert.Equal((1, 7L, 6L), (result.Champion.Version, result.Champion.Predictions, result.Champion.Labelled));
        Assert.Equal((2, 7L, 6L), (result.Challenger.Version, result.Challenger.Predictions, result.Challenger.Labelled));
        // Threshold 0.5: the champion gets p0, p2, p3, p5 right (4/6), the challenger all six: b = 0, c = 2 (p1, p4).
        // Exact McNemar: two-sided 2·P(X ≤ 0 | 2, ½) = 0.5; "worse" needs b ≥ 0: p = 1.
        var accuracy = Assert.Single(result.Tests, t => t.Metric == "accuracy");
        Assert.Equal(("McNemar (exact)", 4 / 6.0, 1.0), (accuracy.Test, accuracy.Champion, accuracy.Challenger));
        Assert.Equal(2 / 6.0, accuracy.Difference, 12);
        Assert.Equal((0.5, 1.0), (accuracy.PValue, accuracy.PWorse));
        Assert.Equal(4 / 6.0, result.Champion.Metrics["accuracy"], 12);
        // AUC: champion positives .9, .6, .3 over negatives .8, .4, .1 rank right in 6 of 9 pairs; the challenger in 9 of 9.
        // DeLong by its 1988 definition in python3 + mpmath 1.3: SE 0.272165526975908678, p 0.220671361919846793.
        var auc = Assert.Single(result.Tests, t => t.Metric == "rocAuc");
        Assert.Equal(6 / 9.0, auc.Champion, 12);
        Assert.Equal(1.0, auc.Challenger, 12);
        Assert.Equal(0.220671361919846793, auc.PValue, 12);
        Assert.Equal(0.889664319040076604, auc.PWorse, 12); // Φ(z), z = (1 − 6/9)/SE: "worse" is the lower tail
        // Agreement over all 7 pairs: classes agree on p0, p2, p3, p5, p6; scores within 0.1 on p2, p3, p6.
        Assert.Equal(7, result.Agreement!.Pairs);
        Assert.Equal(5 / 7.0, result.Agreement.SameLabel!.Value, 12);
        Assert.Equal(3 / 7.0, result.Agreement.WithinTolerance!.Value, 12);
        // Latency of the paired rows 10 … 70 ms: p50 40; p95 at rank 5.7 → 67; p99 at 5.94 → 69.4 (linear, as DuckDB's quantile_cont).
        Assert.Equal(40, result.Champion.Latency!.P50, 9);
        Assert.Equal(67, result.Champion.Latency.P95, 9);
        Assert.Equal(69.4, result.Champion.Latency.P99, 9);
        Assert.Equal(5, result.Challenger.Latency!.P99, 9);
    }

    [Fact]
    public async Task Canary_regression_compares_absolute_errors_with_welchs_t()
    {
        await using var p = await ProductionHost.StartAsync();
        await p.PredictionsAsync(Eight.AddMinutes(61), [.. new[] { 1.0, 2, 3, 4 }.Select((v, i) => new PredictionRow($"r{i}", Eight.AddMinutes(i), Version: 1, Value: v))]);
        await p.PredictionsAsync(Eight.AddMinutes(61), [.. new[] { 10.0, 20, 30, 40 }.Select((v, i) => new PredictionRow($"c{i}", Eight.AddMinutes(i), Version: 2, Variant: "canary", Value: v))]);
        await p.ActualsAsync(Eight.AddMinutes(70), [.. new[] { 1.5, 2, 2, 4.5 }.Select((a, i) => new ActualRow($"r{i}", a.ToString(System.Globalization.CultureInfo.InvariantCulture), Eight.AddMinutes(30), a))]);
        await p.ActualsAsync(Eight.AddMinutes(70), [.. new[] { 10.0, 21, 32, 40 }.Select((a, i) => new ActualRow($"c{i}", a.ToString(System.Globalization.CultureInfo.InvariantCulture), Eight.AddMinutes(30), a))]);

        var result = await RunAsync(p, challenger: 2, tolerance: 0.05);

        Assert.Equal("canary", result.Mode);
        Assert.Null(result.Agreement);
        // Absolute errors .5, 0, 1, .5 (MAE .5) against 0, 1, 2, 0 (MAE .75). Welch by python3 + mpmath 1.3:
        // df 4.056, two-sided p 0.655716579503489185, one-sided (challenger worse = higher MAE) 0.327858289751744592.
        var mae = Assert.Single(result.Tests);
        Assert.Equal(("mae", "Welch t", false), (mae.Metric, mae.Test, mae.GreaterIsBetter));
        Assert.Equal((0.5, 0.75, 0.25), (mae.Champion, mae.Challenger, mae.Difference));
        Assert.Equal(0.655716579503489185, mae.PValue, 10);
        Assert.Equal(0.327858289751744592, mae.PWorse, 10);
        Assert.Equal(0.5, result.Champion.Metrics["mae"], 12);
    }

    [Fact]
    public async Task A_range_without_the_challengers_traffic_fails_once_with_the_reason()
    {
        await using var p = await ProductionHost.StartAsync();
        await p.PredictionsAsync(Eight.AddMinutes(61), new PredictionRow("x", Eight, Version: 1, Score: 0.4));
        var id = await QueueAsync(p, challenger: 2, tolerance: 0.05);

        await Job(p).RunAsync(id, CancellationToken.None);
        await Job(p).RunAsync(id, CancellationToken.None); // a second run of a finished comparison changes nothing

        var stored = await StoredAsync(p, id);
        Assert.Equal(ComparisonStatus.Failed, stored.Status);
        Assert.Contains("Version 2 served no shadow or canary predictions", stored.Error);
        Assert.Null(stored.Results);
    }

    private static async Task<ComparisonResult> RunAsync(ProductionHost p, int challenger, double tolerance)
    {
        var id = await QueueAsync(p, challenger, tolerance);
        await Job(p).RunAsync(id, CancellationToken.None);
        var stored = await StoredAsync(p, id);
        Assert.True(stored.Status == ComparisonStatus.Succeeded, stored.Error);
        return ComparisonResult.FromJson(stored.Results!);
    }

    private static ChallengerComparisonJob Job(ProductionHost p) => ActivatorUtilities.CreateInstance<ChallengerComparisonJob>(p.Host.Services);

    private static async Task<Guid> QueueAsync(ProductionHost p, int challenger, double tolerance)
    {
        var comparison = new ChallengerComparison
        {
            Id = Guid.CreateVersion7(), ModelId = p.ModelId, ChallengerRef = $"version:{challenger}", ChallengerVersion = challenger,
            FromUtc = Eight, ToUtc = Eight.AddHours(1), Tolerance = tolerance, RequestedBy = Scientist.Name, RequestedAtUtc = Eight.AddHours(2),
        };
        await using var db = await p.Db();
        db.ChallengerComparisons.Add(comparison);
        using (AuditAmbient.BeginAction("comparison.requested", "comparison", comparison.Id.ToString()))
            await db.SaveChangesAsync();
        return comparison.Id;
    }

    private static async Task<ChallengerComparison> StoredAsync(ProductionHost p, Guid id)
    {
        await using var db = await p.Db();
        return await db.ChallengerComparisons.AsNoTracking().SingleAsync(c => c.Id == id);
    }
}
