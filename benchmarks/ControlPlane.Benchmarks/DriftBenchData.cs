using System.Globalization;
using System.Runtime.InteropServices;
using System.Text;
using System.Text.RegularExpressions;

namespace ControlPlane.Benchmarks;

/// <summary>
/// The drift benchmark's data: seeded normal columns with different means and spreads, stored as .npy (float64,
/// C order, shape (columns, rows)) so that the scipy reference reads exactly the numbers ControlPlane compares.
/// The drifted side is the current side with every other column moved by <see cref="Shift"/> of its spread: a clear
/// drift whose KS p-values underflow at once (mild drift at a million rows takes scipy's slow series by design).
/// </summary>
internal static partial class DriftBenchData
{
    public const double Shift = 0.3;

    public enum Side { Reference, Current, Drifted }

    public static double[] Column(Side side, int column, int rows)
    {
        // The current and drifted sides share their draws, so they differ by the shift alone.
        var random = new Random(7919 * (side == Side.Reference ? 1 : 2) + column);
        var (mean, sd) = (column * 1.5, 1.0 + column % 4);
        if (side == Side.Drifted && column % 2 == 0)
            mean += Shift * sd;
        var values = new double[rows];
        for (var i = 0; i < rows; i += 2)
        {
            // Box–Muller: two normal draws from two uniform ones.
            var radius = Math.Sqrt(-2 * Math.Log(1 - random.NextDouble()));
            var angle = 2 * Math.PI * random.NextDouble();
            values[i] = mean + sd * radius * Math.Cos(angle);
            if (i + 1 < rows)
                values[i + 1] = mean + sd * radius * Math.Sin(angle);
        }
        return values;
    }

    public static async Task WriteNpyAsync(string path, Side side, int rows, int columns)
    {
        var header = $"{{'descr': '<f8', 'fortran_order': False, 'shape': ({columns}, {rows}), }}";
        // Magic (6) + version (2) + length (2) + header, padded with spaces to a multiple of 64 and ending in a newline.
        header = header.PadRight((10 + header.Length + 1 + 63) / 64 * 64 - 10 - 1) + "\n";
        await using var file = File.Create(path);
        file.Write([0x93, .. "NUMPY"u8, 1, 0, (byte)(header.Length & 0xff), (byte)(header.Length >> 8)]);
        file.Write(Encoding.ASCII.GetBytes(header));
        for (var c = 0; c < columns; c++)
            await file.WriteAsync(MemoryMarshal.AsBytes(Column(side, c, rows).AsSpan()).ToArray());
    }

    /// <summary>Reads a file written by <see cref="WriteNpyAsync"/>: one array per column.</summary>
    public static double[][] ReadNpy(string path)
    {
        using var file = File.OpenRead(path);
        Span<byte> prefix = stackalloc byte[10];
        file.ReadExactly(prefix);
        var header = new byte[prefix[8] | (prefix[9] << 8)];
        file.ReadExactly(header);
        var shape = Shape().Match(Encoding.ASCII.GetString(header));
        var (columns, rows) = (int.Parse(shape.Groups[1].Value, CultureInfo.InvariantCulture), int.Parse(shape.Groups[2].Value, CultureInfo.InvariantCulture));
        var data = new double[columns][];
        for (var c = 0; c < columns; c++)
        {
            data[c] = new double[rows];
            file.ReadExactly(MemoryMarshal.AsBytes(data[c].AsSpan()));
        }
        return data;
    }

    [GeneratedRegex(@"'shape': \((\d+), (\d+)\)")]
    private static partial Regex Shape();
}
