using System.Buffers;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace ControlPlane.Workers.Drift.Statistics;

/// <summary>
/// Sorts finite doubles ascending by a least-significant-digit radix sort on their order-preserving 64-bit keys,
/// skipping any digit that all keys share. Several times faster than a comparison sort on millions of values,
/// which is what lets a drift check sort every column of every run.
/// </summary>
internal static class RadixSort
{
    private const int DigitBits = 16;
    private const int Buckets = 1 << DigitBits;
    private const int Passes = 64 / DigitBits;
    // Below this a comparison sort is cheaper than clearing and scanning the histograms.
    private const int MinimumLength = 1 << 15;

    /// <summary>The finite values of <paramref name="values"/>, sorted into a new array.</summary>
    public static double[] SortFinite(ReadOnlySpan<double> values)
    {
        var sorted = GC.AllocateUninitializedArray<double>(CountFinite(values));
        Sort(values, sorted);
        return sorted;
    }

    /// <summary>Moves the finite values of <paramref name="values"/> to its start, sorted, and returns how many there are.</summary>
    public static int SortFiniteInPlace(double[] values) => Sort(values, values);

    private static int CountFinite(ReadOnlySpan<double> values)
    {
        var n = 0;
        foreach (var value in values)
            if (double.IsFinite(value))
                n++;
        return n;
    }

    // The keys are taken from the input before anything is written, so the result may be the input itself.
    private static int Sort(ReadOnlySpan<double> values, Span<double> sorted)
    {
        if (values.Length < MinimumLength)
        {
            var m = 0;
            for (var i = 0; i < values.Length; i++)
                if (double.IsFinite(values[i]))
                    sorted[m++] = values[i];
            sorted[..m].Sort();
            return m;
        }

        var keysArray = ArrayPool<ulong>.Shared.Rent(values.Length);
        var bufferArray = ArrayPool<ulong>.Shared.Rent(values.Length);
        var counts = ArrayPool<int>.Shared.Rent(Passes * Buckets);
        try
        {
            Array.Clear(counts, 0, Passes * Buckets);
            var n = ToKeys(values, keysArray, counts);
            var passes = Enumerable.Range(0, Passes)
                .Where(pass => n > 0 && counts[pass * Buckets + Digit(keysArray[0], pass * DigitBits)] != n)
                .ToArray();
            Span<ulong> keys = keysArray.AsSpan(0, n), buffer = bufferArray.AsSpan(0, n);
            var result = MemoryMarshal.Cast<double, ulong>(sorted[..n]);
            if (passes.Length == 0)
                for (var i = 0; i < n; i++)
                    result[i] = FromKey(keys[i]);
            foreach (var pass in passes)
            {
                var histogram = counts.AsSpan(pass * Buckets, Buckets);
                var offset = 0;
                for (var b = 0; b < Buckets; b++)
                {
                    var count = histogram[b];
                    histogram[b] = offset;
                    offset += count;
                }
                // The last pass scatters straight into the result, decoded.
                if (pass == passes[^1])
                {
                    Scatter(keys, result, histogram, pass * DigitBits, decode: true);
                    break;
                }
                Scatter(keys, buffer, histogram, pass * DigitBits, decode: false);
                var swap = keys;
                keys = buffer;
                buffer = swap;
            }
            return n;
        }
        finally
        {
            ArrayPool<ulong>.Shared.Return(keysArray);
            ArrayPool<ulong>.Shared.Return(bufferArray);
            ArrayPool<int>.Shared.Return(counts);
        }
    }

    private static int ToKeys(ReadOnlySpan<double> values, ulong[] keys, int[] counts)
    {
        ref var count = ref MemoryMarshal.GetArrayDataReference(counts);
        var n = 0;
        foreach (var value in values)
        {
            if (!double.IsFinite(value))
                continue;
            var key = ToKey(value);
            keys[n++] = key;
            for (var pass = 0; pass < Passes; pass++)
                Unsafe.Add(ref count, pass * Buckets + Digit(key, pass * DigitBits))++;
        }
        return n;
    }

    private static void Scatter(ReadOnlySpan<ulong> from, Span<ulong> to, Span<int> offsets, int shift, bool decode)
    {
        ref var offset = ref MemoryMarshal.GetReference(offsets);
        ref var target = ref MemoryMarshal.GetReference(to);
        if (decode)
            foreach (var key in from)
                Unsafe.Add(ref target, Unsafe.Add(ref offset, Digit(key, shift))++) = FromKey(key);
        else
            foreach (var key in from)
                Unsafe.Add(ref target, Unsafe.Add(ref offset, Digit(key, shift))++) = key;
    }

    private static int Digit(ulong key, int shift) => (int)((key >> shift) & (Buckets - 1));

    // Flip every bit of negatives and only the sign bit of positives: unsigned key order is then numeric order.
    private static ulong ToKey(double value)
    {
        var bits = (ulong)BitConverter.DoubleToInt64Bits(value);
        return (bits & 0x8000_0000_0000_0000UL) != 0 ? ~bits : bits | 0x8000_0000_0000_0000UL;
    }

    private static ulong FromKey(ulong key) =>
        (key & 0x8000_0000_0000_0000UL) != 0 ? key & 0x7FFF_FFFF_FFFF_FFFFUL : ~key;
}
