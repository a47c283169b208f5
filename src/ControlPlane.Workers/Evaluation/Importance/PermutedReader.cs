using ControlPlane.Domain.Datasets;
using ControlPlane.Domain.Datasets.Reading;

namespace ControlPlane.Workers.Evaluation.Importance;

/// <summary>
/// Serves a <see cref="RowSample"/> as a reader, batch by batch, with the columns in <c>permuted</c> (batch column
/// indexes) read through <c>permutation</c>: row i gets row permutation[i]'s value there and its own everywhere else,
/// so the label and the other features stay in place.
/// </summary>
internal sealed class PermutedReader(RowSample sample, IReadOnlySet<int> permuted, int[] permutation, IReadOnlyList<string> columnNames) : ITabularReader
{
    private int _next;

    public DatasetFormat Format => DatasetFormat.Csv;
    public IReadOnlyList<string> ColumnNames => columnNames;
    public long? RowCount => sample.Count;
    public double Progress => sample.Count == 0 ? 1 : (double)_next / sample.Count;

    public ValueTask<bool> ReadAsync(TabularBatch batch, CancellationToken ct = default)
    {
        batch.Reset(_next);
        var count = Math.Min(batch.Capacity, sample.Count - _next);
        for (var c = 0; c < batch.Columns.Count; c++)
        {
            var shuffled = permuted.Contains(c);
            if (batch.Columns[c].As == ColumnReadAs.Number)
            {
                var numbers = batch.Numbers(c);
                for (var i = 0; i < count; i++)
                    numbers[i] = sample.Number(c, shuffled ? permutation[_next + i] : _next + i);
            }
            else
            {
                var texts = batch.Texts(c);
                for (var i = 0; i < count; i++)
                    texts[i] = sample.Text(c, shuffled ? permutation[_next + i] : _next + i);
            }
        }
        batch.Count = count;
        _next += count;
        return ValueTask.FromResult(count > 0);
    }

    public void Dispose()
    {
    }
}
