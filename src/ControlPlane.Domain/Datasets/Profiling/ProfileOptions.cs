namespace ControlPlane.Domain.Datasets.Profiling;

/// <summary>Limits that keep profiling a file of any size within a fixed amount of memory.</summary>
public sealed record ProfileOptions
{
    public static ProfileOptions Default { get; } = new();

    /// <summary>Rows per read.</summary>
    public int BatchSize { get; init; } = 8192;

    /// <summary>
    /// Numerical values held in memory for exact quantiles, all columns together (64 million doubles ≈ 512 MB).
    /// A column whose next batch would not fit switches to a sample of <see cref="SampleSize"/> values.
    /// </summary>
    public long MaxHeldValues { get; init; } = 64_000_000;

    /// <summary>Size of the uniform sample a column keeps once it no longer fits in <see cref="MaxHeldValues"/>.</summary>
    public int SampleSize { get; init; } = 1_000_000;

    /// <summary>Distinct values counted per categorical, boolean or text column; later new values are not counted.</summary>
    public int MaxDistinct { get; init; } = 100_000;

    /// <summary>Most frequent values reported per categorical, boolean or text column.</summary>
    public int TopCategories { get; init; } = 20;

    internal void Validate()
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(BatchSize, 1, nameof(BatchSize));
        ArgumentOutOfRangeException.ThrowIfNegative(MaxHeldValues, nameof(MaxHeldValues));
        ArgumentOutOfRangeException.ThrowIfLessThan(SampleSize, 1, nameof(SampleSize));
        ArgumentOutOfRangeException.ThrowIfLessThan(MaxDistinct, 1, nameof(MaxDistinct));
        ArgumentOutOfRangeException.ThrowIfNegative(TopCategories, nameof(TopCategories));
    }
}
