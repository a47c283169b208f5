namespace ControlPlane.Workers.Tests.Evaluation.Metrics;

/// <summary>Floating-point assertions against reference values computed offline with scikit-learn.</summary>
internal static class Near
{
    public const double Tolerance = 1e-12;

    public static void Equal(double expected, double? actual, double tolerance = Tolerance)
    {
        Assert.NotNull(actual);
        Assert.True(Math.Abs(expected - actual.Value) <= tolerance, $"Expected {expected:R}, got {actual.Value:R} (difference {Math.Abs(expected - actual.Value):E2}).");
    }

    public static void Equal(IReadOnlyList<double> expected, IReadOnlyList<double>? actual, double tolerance = Tolerance)
    {
        Assert.NotNull(actual);
        Assert.Equal(expected.Count, actual.Count);
        for (var i = 0; i < expected.Count; i++)
            Equal(expected[i], actual[i], tolerance);
    }
}
