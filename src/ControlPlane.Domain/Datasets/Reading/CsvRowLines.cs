using System.Buffers;

namespace ControlPlane.Domain.Datasets.Reading;

/// <summary>
/// The line of each row of a block, in a pooled buffer: only the row past <see cref="ReadLimits.MaxRows"/> is ever
/// looked up, so keeping them must cost no allocation per block.
/// </summary>
internal sealed class CsvRowLines : IDisposable
{
    private long[] _lines = ArrayPool<long>.Shared.Rent(1024);

    public int Count { get; private set; }

    public long this[int row] => row < Count ? _lines[row] : throw new ArgumentOutOfRangeException(nameof(row));

    public void Add(long line)
    {
        if (Count == _lines.Length)
        {
            var larger = ArrayPool<long>.Shared.Rent(_lines.Length * 2);
            _lines.AsSpan(0, Count).CopyTo(larger);
            ArrayPool<long>.Shared.Return(_lines);
            _lines = larger;
        }
        _lines[Count++] = line;
    }

    public void Dispose()
    {
        ArrayPool<long>.Shared.Return(_lines);
        _lines = [];
        Count = 0;
    }
}
