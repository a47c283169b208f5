namespace ControlPlane.Domain.Datasets.Reading;

/// <summary>
/// A reusable, column-oriented block of rows. A reader fills rows [0, <see cref="Count"/>) of each requested column;
/// the arrays are reused by the next read, so copy what must outlive it.
/// </summary>
public sealed class TabularBatch
{
    private readonly double[]?[] _numbers;
    private readonly string?[]?[] _texts;
    private readonly long[] _invalid;

    public TabularBatch(IReadOnlyList<ColumnRequest> columns, int capacity = 1024)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(capacity, 1);
        Columns = columns;
        Capacity = capacity;
        _numbers = new double[]?[columns.Count];
        _texts = new string?[]?[columns.Count];
        _invalid = new long[columns.Count];
        for (var i = 0; i < columns.Count; i++)
        {
            if (columns[i].As == ColumnReadAs.Number)
                _numbers[i] = new double[capacity];
            else
                _texts[i] = new string?[capacity];
        }
    }

    public IReadOnlyList<ColumnRequest> Columns { get; }
    public int Capacity { get; }

    /// <summary>Rows filled by the last read.</summary>
    public int Count { get; set; }

    /// <summary>0-based index, among the file's data rows, of row 0 of this batch.</summary>
    public long FirstRow { get; set; }

    /// <summary>Values of the <paramref name="index"/>-th requested column (a Number request); NaN marks a missing value.</summary>
    public double[] Numbers(int index) => _numbers[index] ?? throw new InvalidOperationException($"Column {Columns[index].Ordinal} was requested as text.");

    /// <summary>Values of the <paramref name="index"/>-th requested column (a Text request); null marks a missing value.</summary>
    public string?[] Texts(int index) => _texts[index] ?? throw new InvalidOperationException($"Column {Columns[index].Ordinal} was requested as a number.");

    /// <summary>
    /// Cells of a Number column in this batch that were present but not a finite number (text, NaN, ±Infinity, overflow);
    /// they are NaN in <see cref="Numbers"/> like empty cells, and counted here so they can be reported.
    /// </summary>
    public long[] InvalidCounts => _invalid;

    /// <summary>Starts a new fill (readers call this).</summary>
    public void Reset(long firstRow)
    {
        Count = 0;
        FirstRow = firstRow;
        Array.Clear(_invalid);
    }
}
