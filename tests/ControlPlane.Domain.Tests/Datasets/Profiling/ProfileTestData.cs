using ControlPlane.Domain.Datasets;
using ControlPlane.Domain.Datasets.Profiling;

namespace ControlPlane.Domain.Tests.Datasets.Profiling;

/// <summary>Deterministic data sets whose reference statistics were computed with numpy, and a one-column profiling shortcut.</summary>
internal static class ProfileTestData
{
    /// <summary>x_i = ((i·7919) mod 10007) / 13 − 300 for i in [0, 10001), NaN where i mod 97 = 0.</summary>
    public static double[] Formula() =>
        Enumerable.Range(0, 10_001).Select(i => i % 97 == 0 ? double.NaN : (i * 7919 % 10007) / 13.0 - 300).ToArray();

    /// <summary>1e9 + i·1e-3 for i in [0, 100000): large offset, small spread.</summary>
    public static double[] FarFromZero() => Enumerable.Range(0, 100_000).Select(i => 1e9 + i * 1e-3).ToArray();

    /// <summary>(i·31) mod 101 for i in [0, 1000): integers with many ties.</summary>
    public static double[] Ties() => Enumerable.Range(0, 1000).Select(i => (double)(i * 31 % 101)).ToArray();

    /// <summary>((j·7919) mod 100003) / 7 for j in [0, 100000).</summary>
    public static double[] Large() => Enumerable.Range(0, 100_000).Select(j => (long)j * 7919 % 100003 / 7.0).ToArray();

    public static async Task<ColumnProfile> ProfileOneAsync(object values, ColumnType type, ProfileOptions? options = null, int maxRowsPerRead = int.MaxValue)
    {
        using var reader = new InMemoryTabularReader(("x", values)) { MaxRowsPerRead = maxRowsPerRead };
        var profile = await DatasetProfiler.ProfileAsync(reader, [new ProfileColumn(0, "x", type)], options ?? ProfileOptions.Default, null, CancellationToken.None);
        return Assert.Single(profile.Columns);
    }
}
