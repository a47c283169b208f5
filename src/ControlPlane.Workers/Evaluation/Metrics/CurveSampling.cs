namespace ControlPlane.Workers.Evaluation.Metrics;

/// <summary>Thins curves for charts: at most <see cref="MaxPoints"/> evenly spaced points, first and last always kept.</summary>
internal static class CurveSampling
{
    public const int MaxPoints = 500;

    public static int[] Indices(int count)
    {
        var kept = Math.Min(count, MaxPoints);
        var indices = new int[kept];
        for (var k = 0; k < kept; k++)
            indices[k] = kept == count ? k : (int)((long)k * (count - 1) / (kept - 1));
        return indices;
    }

    public static double[] Pick(IReadOnlyList<double> values, ReadOnlySpan<int> indices)
    {
        var picked = new double[indices.Length];
        for (var k = 0; k < indices.Length; k++)
            picked[k] = values[indices[k]];
        return picked;
    }
}
