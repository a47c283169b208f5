namespace ControlPlane.Domain.Datasets.Profiling;

/// <summary>Per-column statistics of one dataset version; stored as JSON on the version.</summary>
public sealed record DatasetProfile(long RowCount, IReadOnlyList<ColumnProfile> Columns);

/// <summary>
/// One column. <see cref="Count"/> is the number of non-missing values, <see cref="MissingCount"/> the rest
/// (of which <see cref="InvalidCount"/> were present but not usable: text in a numerical column, NaN, ±Infinity, overflow).
/// Exactly one of <see cref="Numeric"/>, <see cref="Categories"/>, <see cref="Dates"/> is set, by type.
/// </summary>
public sealed record ColumnProfile(
    string Name,
    ColumnType Type,
    long Count,
    long MissingCount,
    long InvalidCount,
    NumericProfile? Numeric,
    CategoryProfile? Categories,
    DateProfile? Dates);

/// <summary>
/// Numerical summary. Std is the sample standard deviation (n − 1), as pandas <c>describe</c>. Quantiles use linear
/// interpolation between order statistics (numpy's default). When <see cref="SampleSize"/> is set the quantiles were
/// computed from a uniform random sample of that many values (files too big to hold every value); the other figures are exact.
/// </summary>
public sealed record NumericProfile(
    double Min,
    double Max,
    double Mean,
    double? Std,
    IReadOnlyList<QuantileValue> Quantiles,
    Histogram Histogram,
    long? SampleSize);

public sealed record QuantileValue(double Probability, double Value);

/// <summary>Equal-width bins between min and max as numpy.histogram: every bin is [a, b) except the last, [a, b].</summary>
public sealed record Histogram(IReadOnlyList<double> Edges, IReadOnlyList<long> Counts);

/// <summary>Categorical, boolean and text summary: distinct values (a lower bound when capped) and the most frequent ones.</summary>
public sealed record CategoryProfile(long DistinctCount, bool DistinctCapped, IReadOnlyList<CategoryCount> Top);

/// <summary>A value and its count; <paramref name="Length"/> is the value's full length when Value was cut (see <see cref="Common.StoredText"/>).</summary>
public sealed record CategoryCount(string Value, long Count, int? Length = null);

/// <summary>Date/time summary: earliest and latest parsed values (UTC), and how many cells did not parse.</summary>
public sealed record DateProfile(DateTime? Min, DateTime? Max);
