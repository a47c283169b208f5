using System.Globalization;

namespace ControlPlane.Domain.Datasets.Reading;

/// <summary>Column names must be non-blank and unique ignoring case, so that users and mappings can refer to them.</summary>
internal static class ColumnNameRules
{
    public static void Check(IReadOnlyList<string> names, long? line)
    {
        var seen = new Dictionary<string, int>(names.Count, StringComparer.OrdinalIgnoreCase);
        for (var i = 0; i < names.Count; i++)
        {
            var name = names[i];
            if (string.IsNullOrWhiteSpace(name))
                throw new DataFormatException(At(line, $"column {i + 1} has an empty name."), line, (i + 1).ToString(CultureInfo.InvariantCulture));
            if (!seen.TryAdd(name, i))
                throw new DataFormatException(
                    At(line, $"columns {seen[name] + 1} and {i + 1} are both named '{name}' (names must differ, ignoring case)."), line, name);
        }
    }

    public static void CheckCount(int count, ReadLimits limits, long? line)
    {
        if (count > limits.MaxColumns)
            throw new DataFormatException(At(line, $"the file has {count} columns, more than the limit of {limits.MaxColumns}."), line);
    }

    private static string At(long? line, string message) =>
        line is { } n ? $"Line {n}: {message}" : char.ToUpperInvariant(message[0]) + message[1..];
}
