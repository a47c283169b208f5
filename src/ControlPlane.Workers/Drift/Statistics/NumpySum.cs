namespace ControlPlane.Workers.Drift.Statistics;

/// <summary>
/// Sums exactly as <c>np.sum</c> does over a contiguous float64 array: the reduction runs in buffers of 8192
/// elements added one after the other, each buffer summed pairwise (blocks of up to 128 with eight accumulators).
/// Same order, same roundings, so sums (and the means, deviations and distances built on them) match numpy to the bit.
/// </summary>
internal static class NumpySum
{
    public const int BufferSize = 8192;
    private const int BlockSize = 128;

    public static double Sum(ReadOnlySpan<double> values)
    {
        var total = 0.0;
        for (var start = 0; start < values.Length; start += BufferSize)
            total += Pairwise(values.Slice(start, Math.Min(BufferSize, values.Length - start)));
        return total;
    }

    /// <summary>numpy's pairwise_sum over one buffer.</summary>
    public static double Pairwise(ReadOnlySpan<double> a)
    {
        var n = a.Length;
        if (n < 8)
        {
            var res = 0.0;
            foreach (var x in a)
                res += x;
            return res;
        }
        if (n <= BlockSize)
        {
            double r0 = a[0], r1 = a[1], r2 = a[2], r3 = a[3], r4 = a[4], r5 = a[5], r6 = a[6], r7 = a[7];
            var i = 8;
            for (; i < n - n % 8; i += 8)
            {
                r0 += a[i];
                r1 += a[i + 1];
                r2 += a[i + 2];
                r3 += a[i + 3];
                r4 += a[i + 4];
                r5 += a[i + 5];
                r6 += a[i + 6];
                r7 += a[i + 7];
            }
            var res = ((r0 + r1) + (r2 + r3)) + ((r4 + r5) + (r6 + r7));
            for (; i < n; i++)
                res += a[i];
            return res;
        }
        var half = n / 2;
        half -= half % 8;
        return Pairwise(a[..half]) + Pairwise(a[half..]);
    }
}
