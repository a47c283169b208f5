namespace ControlPlane.Domain.Datasets.Reading;

/// <summary>
/// Passes a reader's batches on after counting each column's missing and distinct values into its tally, so that
/// whoever reads the file (the profiler) also does a scan's counting: one read for both.
/// </summary>
internal sealed class TallyingReader(ITabularReader inner, ColumnTypeTally[] tallies) : ITabularReader
{
    public DatasetFormat Format => inner.Format;
    public IReadOnlyList<string> ColumnNames => inner.ColumnNames;
    public long? RowCount => inner.RowCount;
    public double Progress => inner.Progress;

    public async ValueTask<bool> ReadAsync(TabularBatch batch, CancellationToken ct = default)
    {
        if (!await inner.ReadAsync(batch, ct))
            return false;
        for (var i = 0; i < batch.Columns.Count; i++)
            Observe(batch, i, tallies[batch.Columns[i].Ordinal]);
        return true;
    }

    /// <summary>Leaves the inner reader to its owner.</summary>
    public void Dispose()
    {
    }

    /// <summary>Counts one column of a batch: null texts and NaN numbers that were not invalid are missing.</summary>
    public static void Observe(TabularBatch batch, int index, ColumnTypeTally tally)
    {
        if (batch.Columns[index].As == ColumnReadAs.Text)
        {
            foreach (var value in batch.Texts(index).AsSpan(0, batch.Count))
                tally.ObserveText(value);
            return;
        }
        var nan = 0L;
        foreach (var value in batch.Numbers(index).AsSpan(0, batch.Count))
            if (double.IsNaN(value))
                nan++;
        tally.ObserveMissing(nan - batch.InvalidCounts[index]);
    }
}
