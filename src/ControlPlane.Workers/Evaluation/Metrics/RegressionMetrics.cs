using ControlPlane.Domain.Datasets.Profiling;

namespace ControlPlane.Workers.Evaluation.Metrics;

/// <summary>
/// Regression metrics with scikit-learn 1.2's definitions.
/// <list type="bullet">
/// <item>RMSE is <c>mean_squared_error(squared=False)</c>, MAE <c>mean_absolute_error</c>.</item>
/// <item>R² is <c>r2_score</c>: null below 2 rows (scikit-learn returns NaN); when every y is equal, 1 if every
/// prediction is exact and 0 otherwise (<c>force_finite=True</c>). Constant y is detected exactly: scikit-learn
/// compares its computed variance with 0, and the rounding of <c>np.mean</c> can leave a tiny non-zero one (R² of
/// −1.7e31 for y = [0.1, 0.1, 0.1]).</item>
/// <item>Residuals y − ŷ are counted in 20 equal-width bins over their range, as <c>numpy.histogram(bins=20)</c>.</item>
/// </list>
/// </summary>
public static class RegressionMetrics
{
    public const int ResidualBins = 20;

    public static RegressionReport Compute(ReadOnlySpan<double> actual, ReadOnlySpan<double> predicted)
    {
        Inputs.SameLength(actual.Length, predicted.Length, nameof(predicted));
        Inputs.Finite(actual, nameof(actual));
        Inputs.Finite(predicted, nameof(predicted));
        var n = actual.Length;
        if (n == 0)
            return new RegressionReport(0, null, null, null, null);

        var squared = new CompensatedSum();
        var absolute = new CompensatedSum();
        var sumY = new CompensatedSum();
        var residuals = new double[n];
        var constant = true;
        for (var i = 0; i < n; i++)
        {
            var residual = actual[i] - predicted[i];
            residuals[i] = residual;
            squared.Add(residual * residual);
            absolute.Add(Math.Abs(residual));
            sumY.Add(actual[i]);
            constant &= actual[i] == actual[0];
        }
        return new RegressionReport(
            n,
            Rmse: Math.Sqrt(squared.Value / n),
            Mae: absolute.Value / n,
            R2: n < 2 ? null : RSquared(actual, squared.Value, sumY.Value / n, constant),
            Histogram(residuals));
    }

    private static double RSquared(ReadOnlySpan<double> actual, double residualSquares, double mean, bool constant)
    {
        if (residualSquares == 0)
            return 1.0;
        if (constant)
            return 0.0;
        var total = new CompensatedSum();
        foreach (var y in actual)
            total.Add((y - mean) * (y - mean));
        return 1 - residualSquares / total.Value;
    }

    private static Histogram Histogram(double[] residuals)
    {
        var bins = new EqualWidthBins(residuals.Min(), residuals.Max(), ResidualBins);
        return new Histogram(bins.Edges, bins.CountAll(residuals));
    }
}
