using ControlPlane.Domain.Common;

namespace ControlPlane.Web.Components.Pages.Models;

/// <summary>"key=value" per line, as typed into the tag, parameter and metric boxes.</summary>
internal static class KeyValueLines
{
    public static Dictionary<string, string> Parse(string? text, string field)
    {
        var result = new Dictionary<string, string>(StringComparer.Ordinal);
        var number = 0;
        foreach (var raw in (text ?? "").Split('\n'))
        {
            number++;
            var line = raw.Trim();
            if (line.Length == 0)
                continue;
            var at = line.IndexOf('=');
            if (at <= 0)
                throw new ValidationException($"{field}, line {number}: write key=value.");
            result[line[..at].Trim()] = line[(at + 1)..].Trim();
        }
        return result;
    }

    public static Dictionary<string, double> ParseNumbers(string? text, string field) =>
        Parse(text, field).ToDictionary(kv => kv.Key, kv => double.TryParse(kv.Value, System.Globalization.NumberStyles.Float, System.Globalization.CultureInfo.InvariantCulture, out var v)
            ? v : throw new ValidationException($"{field}: '{kv.Value}' is not a number (use a dot for decimals)."));
}
