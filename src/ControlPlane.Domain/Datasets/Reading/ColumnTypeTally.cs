using nietras.SeparatedValues;

namespace ControlPlane.Domain.Datasets.Reading;

/// <summary>
/// Infers one column's type from its cells, in constant memory. Over the present (non-missing) values:
/// <list type="number">
/// <item>all true/false (any case): <see cref="ColumnType.Boolean"/>;</item>
/// <item>all numbers (invariant culture; Infinity and overflow count as numbers, read later as invalid): <see cref="ColumnType.Numerical"/>;</item>
/// <item>all ISO 8601 dates or date-times (yyyy-MM-dd first): <see cref="ColumnType.DateTime"/>;</item>
/// <item>at most max(20, min(1000, rows / 20)) distinct values: <see cref="ColumnType.Categorical"/>;</item>
/// <item>otherwise <see cref="ColumnType.Text"/>.</item>
/// </list>
/// A column with no present value at all is <see cref="ColumnType.Categorical"/>: nothing in it says number or date,
/// and a categorical profile shows "all missing" plainly.
/// </summary>
internal sealed class ColumnTypeTally
{
    private const int MinCategories = 20;
    private const int MaxCategories = 1000;

    // Distinct values are counted only up to one past the largest threshold; beyond that the column is Text anyway.
    private readonly HashSet<string> _distinct = new(StringComparer.Ordinal);
    private readonly HashSet<string>.AlternateLookup<ReadOnlySpan<char>> _distinctSpans;
    private bool _mayBeBoolean = true;
    private bool _mayBeNumber = true;
    private bool _mayBeDate = true;
    private long _present;

    public ColumnTypeTally() => _distinctSpans = _distinct.GetAlternateLookup<ReadOnlySpan<char>>();

    public long MissingCount { get; private set; }

    /// <summary>A CSV cell: its text is checked against every candidate type.</summary>
    public void Observe(SepReader.Col col)
    {
        var cell = col.Span;
        if (MissingTokens.IsMissing(cell))
        {
            MissingCount++;
            return;
        }
        _present++;
        _mayBeNumber = _mayBeNumber && CellParsing.TryParseNumber(col, out _);
        _mayBeBoolean = _mayBeBoolean && CellParsing.TryParseBoolean(cell, out _);
        _mayBeDate = _mayBeDate && CellParsing.IsIsoDate(cell);
        CountDistinct(cell);
    }

    /// <summary>A value whose type the file already states (Parquet strings): only missingness and distinctness matter.</summary>
    public void ObserveText(string? value)
    {
        if (value is null)
        {
            MissingCount++;
            return;
        }
        _present++;
        _mayBeNumber = _mayBeBoolean = _mayBeDate = false;
        CountDistinct(value);
    }

    public void ObserveMissing(long count) => MissingCount += count;

    public ColumnType Infer(long rowCount)
    {
        if (_present == 0)
            return ColumnType.Categorical;
        if (_mayBeBoolean)
            return ColumnType.Boolean;
        if (_mayBeNumber)
            return ColumnType.Numerical;
        if (_mayBeDate)
            return ColumnType.DateTime;
        var threshold = Math.Max(MinCategories, Math.Min(MaxCategories, rowCount / 20));
        return _distinct.Count <= threshold ? ColumnType.Categorical : ColumnType.Text;
    }

    private void CountDistinct(ReadOnlySpan<char> cell)
    {
        if (_distinct.Count <= MaxCategories)
            _distinctSpans.Add(cell);
    }
}
