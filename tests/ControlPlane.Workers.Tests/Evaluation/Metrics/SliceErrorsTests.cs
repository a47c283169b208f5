using ControlPlane.Domain.Evaluations;
using ControlPlane.Workers.Evaluation;
using ControlPlane.Workers.Evaluation.Metrics;

namespace ControlPlane.Workers.Tests.Evaluation.Metrics;

public sealed class SliceErrorsTests
{
    [Theory]
    // Newcombe (1998), "Two-sided confidence intervals for the single proportion", Statistics in Medicine 17:857–872,
    // Table II, method 3 (Wilson score interval without continuity correction), to the four decimals printed there.
    [InlineData(81, 263, 0.2553, 0.3662)]
    [InlineData(15, 148, 0.0624, 0.1605)]
    [InlineData(0, 20, 0.0000, 0.1611)]
    [InlineData(1, 29, 0.0061, 0.1718)]
    public void Wilson_intervals_match_the_published_examples(long successes, long trials, double lower, double upper)
    {
        var (low, high) = WilsonInterval.Of(successes, trials);

        Assert.Equal(lower, low, 0.00005);
        Assert.Equal(upper, high, 0.00005);
    }

    [Fact]
    public void Classification_slices_are_ranked_by_accuracy_below_overall_with_wilson_intervals()
    {
        // Overall accuracy 0.8; slice "b" (81 of 263 right) is furthest below, then "c" (15 of 148), "a" is above.
        var overall = new Dictionary<string, double> { ["accuracy"] = 0.8, ["rocAuc"] = 0.9 };
        SliceSummary[] slices =
        [
            new("a", 400, new Dictionary<string, double> { ["accuracy"] = 0.95 }),
            new("b", 263, new Dictionary<string, double> { ["accuracy"] = 81 / 263.0 }),
            new("c", 148, new Dictionary<string, double> { ["accuracy"] = 15 / 148.0 }),
        ];

        var ranked = SliceErrors.Rank(EvaluationTask.Binary, overall, slices);

        Assert.Equal(["c", "b", "a"], ranked.Select(r => r.Slice));
        var c = ranked[0];
        Assert.Equal(("accuracy", 148L), (c.Metric, c.Count));
        Assert.Equal(15 / 148.0 - 0.8, c.Gap, 1e-12);
        Assert.Equal(0.0624, c.Lower!.Value, 0.00005); // Newcombe (1998), as above
        Assert.Equal(0.1605, c.Upper!.Value, 0.00005);
        Assert.Equal(0.2553, ranked[1].Lower!.Value, 0.00005);
        Assert.True(ranked[2].Gap > 0);
    }

    [Fact]
    public void Regression_slices_are_ranked_by_rmse_above_overall_with_chi_square_intervals()
    {
        var overall = new Dictionary<string, double> { ["rmse"] = 0.3 };
        SliceSummary[] slices =
        [
            new("x", 100, new Dictionary<string, double> { ["rmse"] = 0.5 }),
            new("y", 100, new Dictionary<string, double> { ["rmse"] = 0.2 }),
        ];

        var ranked = SliceErrors.Rank(EvaluationTask.Regression, overall, slices);

        Assert.Equal(["x", "y"], ranked.Select(r => r.Slice));
        Assert.Equal(-0.2, ranked[0].Gap, 1e-12);
        // SSE = 0.5² · 100 = 25; χ²₀.₉₇₅(100) = 129.561 and χ²₀.₀₂₅(100) = 74.222 (printed chi-square tables):
        // √(25 / 129.561) = 0.43927, √(25 / 74.222) = 0.58037.
        Assert.Equal(0.43927, ranked[0].Lower!.Value, 0.0002);
        Assert.Equal(0.58037, ranked[0].Upper!.Value, 0.0002);
    }

    [Fact]
    public void Nothing_is_ranked_when_the_overall_metric_is_missing() =>
        Assert.Empty(SliceErrors.Rank(EvaluationTask.Binary, new Dictionary<string, double>(), [new("a", 3, new Dictionary<string, double>())]));
}
