using System.IO.Hashing;
using System.Runtime.InteropServices;

namespace ControlPlane.Workers.Production;

/// <summary>
/// Whether the rows of a merged prediction file hold each (prediction id, variant) once: a 64-bit hash per row, sorted
/// and compared once all rows are in. Two different pairs with one hash count as a repeat, so "distinct" is never said
/// of a file that has a repeat (readers then deduplicate as for any unmarked file). Above <paramref name="maxRows"/>
/// rows (8 bytes each) it stops holding hashes and answers no.
/// </summary>
internal sealed class DistinctPairs(int maxRows)
{
    private long[] _hashes = new long[Math.Min(maxRows, 1 << 16)];
    private int _count;
    private bool _tooMany;

    public void Add(ReadOnlySpan<string?> ids, ReadOnlySpan<string?> variants)
    {
        if (_tooMany)
            return;
        if ((long)_count + ids.Length > maxRows)
        {
            (_tooMany, _hashes) = (true, []);
            return;
        }
        if (_count + ids.Length > _hashes.Length)
            Array.Resize(ref _hashes, (int)Math.Min(maxRows, Math.Max((long)_hashes.Length * 2, _count + ids.Length)));
        for (var i = 0; i < ids.Length; i++)
            _hashes[_count++] = Hash(ids[i], variants.IsEmpty ? null : variants[i]);
    }

    public bool AllDistinct()
    {
        if (_tooMany)
            return false;
        var hashes = _hashes.AsSpan(0, _count);
        hashes.Sort();
        for (var i = 1; i < hashes.Length; i++)
            if (hashes[i] == hashes[i - 1])
                return false;
        return true;
    }

    private static long Hash(string? id, string? variant)
    {
        var seed = variant is null ? 0 : (long)XxHash3.HashToUInt64(MemoryMarshal.AsBytes(variant.AsSpan()));
        return (long)XxHash3.HashToUInt64(MemoryMarshal.AsBytes((id ?? "").AsSpan()), seed);
    }
}
