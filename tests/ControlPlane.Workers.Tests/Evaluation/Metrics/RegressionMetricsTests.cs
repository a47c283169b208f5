using ControlPlane.Workers.Evaluation.Metrics;

namespace ControlPlane.Workers.Tests.Evaluation.Metrics;

/// <summary>
/// Against scikit-learn 1.2.1 and numpy 1.24: <c>mean_squared_error(y, yh, squared=False)</c>,
/// <c>mean_absolute_error</c>, <c>r2_score</c>, <c>np.histogram(y - yh, bins=20)</c>.
/// </summary>
public sealed class RegressionMetricsTests
{
    [Fact]
    public void Eight_rows_match_scikit_learn()
    {
        double[] actual = [3.0, -0.5, 2.0, 7.0, 4.2, 1.1, 0.0, 5.5];
        double[] predicted = [2.5, 0.0, 2.0, 8.0, 3.9, 1.4, -0.3, 5.0];

        var report = RegressionMetrics.Compute(actual, predicted);

        Near.Equal(0.5024937810560445, report.Rmse);
        Near.Equal(0.42500000000000004, report.Mae);
        Near.Equal(0.9589336992706665, report.R2);
        // Residuals run from -1 to 0.5: edges -1, -0.925, ..., 0.5.
        var histogram = report.Residuals!;
        Assert.Equal([1L, 0, 0, 0, 0, 0, 1, 0, 0, 1, 0, 0, 0, 1, 0, 0, 0, 2, 0, 2], histogram.Counts);
        Assert.Equal((21, -1.0, -0.925, -0.475, 0.5), (histogram.Edges.Count, histogram.Edges[0], histogram.Edges[1], histogram.Edges[7], histogram.Edges[20]));
    }

    [Fact]
    public void A_thousand_rows_match_scikit_learn_and_numpy()
    {
        var (actual, predicted) = FormulaRows.Regression();

        var report = RegressionMetrics.Compute(actual, predicted);

        Near.Equal(0.2893282593393517, report.Rmse);
        Near.Equal(0.25061785356068206, report.Mae);
        Near.Equal(0.995024430419501, report.R2);
        Assert.Equal([50L, 50, 50, 50, 50, 49, 50, 50, 50, 50, 49, 50, 50, 50, 50, 49, 50, 50, 51, 52], report.Residuals!.Counts);
        Assert.Equal(-0.49899699097291794, report.Residuals.Edges[0]);
        Assert.Equal(-0.44904714142427204, report.Residuals.Edges[1]);
        Assert.Equal(-0.14934804413239666, report.Residuals.Edges[7]);
        Assert.Equal(0.5, report.Residuals.Edges[20]);
    }

    [Theory]
    // r2_score([2.0] * 4, [2.0] * 4) == 1.0; r2_score([2.0] * 4, [2.0, 2.0, 2.5, 2.0]) == 0.0
    [InlineData(new[] { 2.0, 2.0, 2.0, 2.0 }, new[] { 2.0, 2.0, 2.0, 2.0 }, 1.0)]
    [InlineData(new[] { 2.0, 2.0, 2.0, 2.0 }, new[] { 2.0, 2.0, 2.5, 2.0 }, 0.0)]
    // scikit-learn gives -1.7307656195116095e+31 here (np.mean([0.1] * 3) != 0.1); a constant y gets 0.
    [InlineData(new[] { 0.1, 0.1, 0.1 }, new[] { 0.1, 0.1, 0.2 }, 0.0)]
    public void A_constant_target_scores_one_when_perfect_and_zero_otherwise(double[] actual, double[] predicted, double r2)
    {
        Assert.Equal(r2, RegressionMetrics.Compute(actual, predicted).R2);
    }

    [Fact]
    public void One_row_has_no_r2_and_no_row_has_nothing()
    {
        // r2_score([1.0], [2.0]) is NaN with a warning.
        var one = RegressionMetrics.Compute([1.0], [2.0]);
        Assert.Null(one.R2);
        Assert.Equal((1.0, 1.0), (one.Rmse, one.Mae));
        Assert.Equal(["rmse", "mae"], one.Flatten().Keys);
        // np.histogram([-1.0], bins=20): the range widens to [-1.5, -0.5] and the value lands in bin 10.
        Assert.Equal(1, one.Residuals!.Counts[10]);
        Assert.Equal(-1.5, one.Residuals.Edges[0]);

        var none = RegressionMetrics.Compute([], []);
        Assert.Equal((0L, null, null), (none.Count, none.Rmse, none.Residuals));
    }
}
