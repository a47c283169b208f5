namespace ControlPlane.Domain.Datasets.Reading;

/// <summary>Upper bounds a file must respect to be accepted; exceeding one is a <see cref="DataFormatException"/>.</summary>
/// <param name="MaxRowGroupRows">
/// Parquet decodes a column of a row group whole, so its rows bound the memory a read takes (a few KB of zstd can hold
/// 50 million rows).
/// </param>
public sealed record ReadLimits(int MaxColumns = 2_000, long MaxRows = 200_000_000, long MaxRowGroupRows = 1 << 23)
{
    public static ReadLimits Default { get; } = new();

    /// <summary>
    /// For a stored dataset version: it met the limits in force when it was uploaded, and reading it again (preview,
    /// profile, drift, evaluation, training) must not depend on today's settings (an admin who raised a limit to
    /// accept a file would otherwise see every job on it refused).
    /// </summary>
    public static ReadLimits Accepted { get; } = new(int.MaxValue, long.MaxValue, long.MaxValue);
}
