using System.Runtime.InteropServices;
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
/// and a categorical profile shows "all missing" plainly. The distinct values are counted, so a column found
/// categorical or boolean has all its value counts at the end (<see cref="Counts"/>).
/// </summary>
internal sealed class ColumnTypeTally
{
    private const int MinCategories = 20;
    private const int MaxCategories = 1000;

    // Values are counted only up to one past the largest threshold; beyond that the column is Text anyway.
    private readonly Dictionary<string, long> _counts = new(StringComparer.Ordinal);
    private readonly Dictionary<string, long>.AlternateLookup<ReadOnlySpan<char>> _countSpans;
    private readonly ColumnTypeTally? _whole;
    private bool _mayBeBoolean = true;
    private bool _mayBeNumber = true;
    private bool _mayBeDate = true;
    private long _present;
    private volatile bool _countsFull;

    /// <param name="whole">
    /// The tally of the whole file this one (of a block) will be added to: once that has seen more distinct values
    /// than any threshold, this one stops counting them too.
    /// </param>
    public ColumnTypeTally(ColumnTypeTally? whole = null)
    {
        _whole = whole;
        _countSpans = _counts.GetAlternateLookup<ReadOnlySpan<char>>();
    }

    public long MissingCount { get; private set; }
    public long PresentCount => _present;

    /// <summary>How often each present value occurs; complete only while there are at most 1000 distinct values.</summary>
    public IReadOnlyDictionary<string, long>? Counts => _counts.Count <= MaxCategories ? _counts : null;

    /// <summary>A CSV cell: its text is checked against every candidate type.</summary>
    public void Observe(SepReader.Col col)
    {
        long invalid = 0;
        Observe(col, ref invalid);
    }

    /// <summary>
    /// A CSV cell, checked against every candidate type; while the column may be numerical, also the cell read as
    /// <see cref="ColumnReadAs.Number"/> reads it (NaN when missing or not finite, <paramref name="invalid"/> counting
    /// the latter), so that a profile made in the same pass parses no number twice.
    /// </summary>
    public double Observe(SepReader.Col col, ref long invalid)
    {
        var cell = col.Span;
        if (MissingTokens.IsMissing(cell))
        {
            MissingCount++;
            return double.NaN;
        }
        _present++;
        var number = double.NaN;
        _mayBeNumber = _mayBeNumber && CellParsing.TryParseNumber(col, out number);
        _mayBeBoolean = _mayBeBoolean && CellParsing.TryParseBoolean(cell, out _);
        _mayBeDate = _mayBeDate && CellParsing.IsIsoDate(cell);
        Count(cell);
        if (double.IsFinite(number))
            return number;
        invalid++;
        return double.NaN;
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
        Count(value);
    }

    public void ObserveMissing(long count) => MissingCount += count;

    /// <summary>
    /// Adds what another tally of the same column saw (one block of the file): the type is what both allow, the
    /// distinct values their union, counted while it stays within the cap (past it the column is text either way).
    /// </summary>
    public void Add(ColumnTypeTally other)
    {
        MissingCount += other.MissingCount;
        _present += other._present;
        _mayBeBoolean &= other._mayBeBoolean;
        _mayBeNumber &= other._mayBeNumber;
        _mayBeDate &= other._mayBeDate;
        foreach (var (value, count) in other._counts)
        {
            if (_counts.Count > MaxCategories)
                break;
            CollectionsMarshal.GetValueRefOrAddDefault(_counts, value, out _) += count;
        }
        _countsFull = _counts.Count > MaxCategories;
    }

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
        return _counts.Count <= threshold ? ColumnType.Categorical : ColumnType.Text;
    }

    private void Count(ReadOnlySpan<char> cell)
    {
        if (_counts.Count <= MaxCategories && _whole?._countsFull != true)
            CollectionsMarshal.GetValueRefOrAddDefault(_countSpans, cell, out _)++;
    }
}
