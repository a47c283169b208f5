using System.Globalization;
using ControlPlane.Domain.Datasets;
using ControlPlane.Domain.Datasets.Reading;

namespace ControlPlane.Domain.Tests.Datasets.Profiling;

/// <summary>
/// Serves columns held in memory (double[] with NaN for missing, or string?[] with null for missing) as the real
/// readers do: text asked for as a number parses with the invariant culture, and a present cell that is not a finite
/// number becomes NaN and counts as invalid.
/// </summary>
internal sealed class InMemoryTabularReader(params (string Name, object Values)[] columns) : ITabularReader
{
    private readonly long _rows = columns.Length == 0 ? 0 : Length(columns[0].Values);
    private long _next;

    /// <summary>Fewer rows per read than the batch holds, to test batch boundaries.</summary>
    public int MaxRowsPerRead { get; init; } = int.MaxValue;

    public bool Disposed { get; private set; }

    public DatasetFormat Format => DatasetFormat.Csv;
    public IReadOnlyList<string> ColumnNames => columns.Select(c => c.Name).ToArray();
    public long? RowCount => _rows;
    public double Progress => _rows == 0 ? 1 : (double)_next / _rows;

    public ValueTask<bool> ReadAsync(TabularBatch batch, CancellationToken ct = default)
    {
        ct.ThrowIfCancellationRequested();
        batch.Reset(_next);
        var count = (int)Math.Min(Math.Min(batch.Capacity, MaxRowsPerRead), _rows - _next);
        for (var k = 0; k < batch.Columns.Count; k++)
        {
            var source = columns[batch.Columns[k].Ordinal].Values;
            if (batch.Columns[k].As == ColumnReadAs.Number)
                batch.InvalidCounts[k] = FillNumbers(source, batch.Numbers(k), count);
            else
                FillTexts(source, batch.Texts(k), count);
        }
        batch.Count = count;
        _next += count;
        return ValueTask.FromResult(count > 0);
    }

    public void Dispose() => Disposed = true;

    private long FillNumbers(object source, double[] target, int count)
    {
        if (source is double[] numbers)
        {
            Array.Copy(numbers, _next, target, 0, count);
            return 0;
        }
        var texts = (string?[])source;
        long invalid = 0;
        for (var i = 0; i < count; i++)
        {
            var text = texts[_next + i];
            if (string.IsNullOrEmpty(text))
            {
                target[i] = double.NaN;
            }
            else if (double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var value) && double.IsFinite(value))
            {
                target[i] = value;
            }
            else
            {
                target[i] = double.NaN;
                invalid++;
            }
        }
        return invalid;
    }

    private void FillTexts(object source, string?[] target, int count)
    {
        for (var i = 0; i < count; i++)
        {
            target[i] = source is double[] numbers
                ? double.IsNaN(numbers[_next + i]) ? null : numbers[_next + i].ToString("R", CultureInfo.InvariantCulture)
                : ((string?[])source)[_next + i];
        }
    }

    private static long Length(object values) => values is double[] numbers ? numbers.Length : ((string?[])values).Length;
}
