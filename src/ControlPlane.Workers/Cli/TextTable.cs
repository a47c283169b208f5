using System.Globalization;

namespace ControlPlane.Workers.Cli;

/// <summary>Rows of cells written left-aligned in columns two spaces apart (the last column unpadded).</summary>
internal static class TextTable
{
    public const string None = "-";

    /// <summary>Six significant digits, invariant culture: enough to compare runs by eye, short enough to align.</summary>
    public static string Number(double? value) => value?.ToString("G6", CultureInfo.InvariantCulture) ?? None;

    public static async Task WriteAsync(TextWriter output, IReadOnlyList<string[]> rows)
    {
        var widths = new int[rows.Max(r => r.Length)];
        foreach (var row in rows)
            for (var i = 0; i < row.Length; i++)
                widths[i] = Math.Max(widths[i], row[i].Length);
        foreach (var row in rows)
        {
            var cells = row.Select((cell, i) => i == row.Length - 1 ? cell : cell.PadRight(widths[i]));
            await output.WriteLineAsync(string.Join("  ", cells));
        }
    }
}
