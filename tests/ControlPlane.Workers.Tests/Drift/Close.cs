namespace ControlPlane.Workers.Tests.Drift;

internal static class Close
{
    /// <summary>|actual − expected| ≤ tolerance·|expected| (exact equality when expected is 0).</summary>
    public static void Relative(double expected, double? actual, double tolerance)
    {
        Assert.NotNull(actual);
        var error = Math.Abs(actual.Value - expected);
        Assert.True(error <= tolerance * Math.Abs(expected),
            $"Expected {expected:R}, got {actual.Value:R} (relative error {error / Math.Abs(expected):E2} > {tolerance:E0}).");
    }
}
