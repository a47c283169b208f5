using ControlPlane.Domain.Datasets.Reading;

namespace ControlPlane.Workers.Evaluation.Importance;

/// <summary>
/// The rows importance is measured on, held in memory column by column in the layout of the evaluation's batches: all
/// rows when the file has at most <c>capacity</c>, otherwise a uniform sample of that many drawn with reservoir
/// sampling (Algorithm R) from a seeded generator, so the same seed picks the same rows.
/// </summary>
internal sealed class RowSample
{
    private readonly double[]?[] _numbers;
    private readonly string?[]?[] _texts;

    private RowSample(IReadOnlyList<ColumnRequest> columns, int capacity)
    {
        Columns = columns;
        _numbers = new double[]?[columns.Count];
        _texts = new string?[]?[columns.Count];
        for (var c = 0; c < columns.Count; c++)
        {
            if (columns[c].As == ColumnReadAs.Number)
                _numbers[c] = new double[capacity];
            else
                _texts[c] = new string?[capacity];
        }
    }

    public IReadOnlyList<ColumnRequest> Columns { get; }

    /// <summary>Rows held.</summary>
    public int Count { get; private set; }

    /// <summary>Rows in the file.</summary>
    public long SeenRows { get; private set; }

    public static async Task<RowSample> DrawAsync(ITabularReader reader, ColumnRequest[] columns, int capacity, int batchSize, Random random, CancellationToken ct)
    {
        var sample = new RowSample(columns, capacity);
        var batch = new TabularBatch(columns, batchSize);
        while (await reader.ReadAsync(batch, ct))
            for (var i = 0; i < batch.Count; i++)
            {
                // Algorithm R: the first `capacity` rows fill the sample; row t (0-based) then replaces a random
                // slot with probability capacity / (t + 1).
                var seen = sample.SeenRows++;
                var slot = seen < capacity ? seen : random.NextInt64(seen + 1);
                if (slot < capacity)
                    sample.Copy(batch, i, (int)slot);
            }
        sample.Count = (int)Math.Min(sample.SeenRows, capacity);
        return sample;
    }

    public double Number(int column, int row) => _numbers[column]![row];
    public string? Text(int column, int row) => _texts[column]![row];

    private void Copy(TabularBatch batch, int row, int slot)
    {
        for (var c = 0; c < Columns.Count; c++)
        {
            if (_numbers[c] is { } numbers)
                numbers[slot] = batch.Numbers(c)[row];
            else
                _texts[c]![slot] = batch.Texts(c)[row];
        }
    }
}
