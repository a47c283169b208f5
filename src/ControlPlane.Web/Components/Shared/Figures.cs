using System.Globalization;

namespace ControlPlane.Web.Components.Shared;

/// <summary>
/// Numbers, counts, ratios, durations and label lists shown the same way on every page and chart, whatever the
/// server's culture: 213.6k rather than 2.136E+05, 0.7867 rather than 0.7866766126093294, 40 ms rather than 0.0 s.
/// </summary>
public static class Figures
{
    // SI prefixes, as Plotly's axes use them, so a label and the axis beside it agree.
    private static readonly string[] Prefixes = ["", "k", "M", "G", "T", "P"];

    /// <summary>To a given number of significant digits; thousands and up get an SI prefix instead of an exponent.</summary>
    public static string Format(double value, int significant = 4)
    {
        if (!double.IsFinite(value))
            return double.IsNaN(value) ? "—" : value > 0 ? "∞" : "−∞";
        var text = value.ToString("G" + significant.ToString(CultureInfo.InvariantCulture), CultureInfo.InvariantCulture);
        if (!text.Contains('E', StringComparison.Ordinal))
            return text;
        return Math.Abs(value) >= 1 ? Compact(value, significant) : Exponent(text);
    }

    public static string Format(double? value, int significant = 4) => value is { } v ? Format(v, significant) : "—";

    /// <summary>Short enough for an axis or a bar label: 3 significant digits and an SI prefix (37.6k, 1.2M, 0.787).</summary>
    public static string Compact(double value, int significant = 3)
    {
        if (!double.IsFinite(value))
            return Format(value);
        var format = "G" + significant.ToString(CultureInfo.InvariantCulture);
        // Round first, so 999,950 becomes 1M rather than 1000k.
        var rounded = double.Parse(value.ToString(format, CultureInfo.InvariantCulture), NumberStyles.Float, CultureInfo.InvariantCulture);
        var prefix = 0;
        while (Math.Abs(rounded) >= 1000 && prefix < Prefixes.Length - 1)
        {
            rounded /= 1000;
            prefix++;
        }
        var text = rounded.ToString(format, CultureInfo.InvariantCulture);
        return (text.Contains('E', StringComparison.Ordinal) ? Exponent(text) : text) + Prefixes[prefix];
    }

    /// <summary>A whole count with thousands separators: 12,345.</summary>
    public static string Count(long value) => value.ToString("N0", CultureInfo.InvariantCulture);

    public static string Count(long? value) => value is { } v ? Count(v) : "—";

    /// <summary>A count with its noun: "1 model", "2 models", "1,024 rows" (<paramref name="plural"/> where "s" will not do).</summary>
    public static string Count(long value, string singular, string? plural = null) =>
        $"{Count(value)} {(value == 1 ? singular : plural ?? singular + "s")}";

    /// <summary>A statistic over its threshold and the like: two decimals below 100 (11.67, 0.82), compact above (1.23k).</summary>
    public static string Ratio(double value) =>
        !double.IsFinite(value) || Math.Abs(value) >= 100 ? Compact(value) : value.ToString("0.##", CultureInfo.InvariantCulture);

    /// <summary>Milliseconds below a second, seconds below a minute, then minutes and seconds, hours and minutes, days and hours.</summary>
    public static string Duration(TimeSpan duration)
    {
        if (duration < TimeSpan.Zero)
            return "−" + Duration(duration.Negate());
        var ms = duration.TotalMilliseconds;
        if (ms < 999.5)
            return (ms < 10 ? ms.ToString("0.#", CultureInfo.InvariantCulture) : Math.Round(ms).ToString("0", CultureInfo.InvariantCulture)) + " ms";
        var seconds = duration.TotalSeconds;
        if (Math.Round(seconds, 1) < 60)
            return Math.Round(seconds, 1).ToString("0.#", CultureInfo.InvariantCulture) + " s";
        var whole = TimeSpan.FromSeconds(Math.Round(seconds));
        return whole.TotalHours < 1 ? Pair((int)whole.TotalMinutes, "min", whole.Seconds, "s")
            : whole.TotalDays < 1 ? Pair((int)whole.TotalHours, "h", whole.Minutes, "min")
            : Pair((int)whole.TotalDays, "d", whole.Hours, "h");
    }

    public static string DurationMs(double milliseconds) => Duration(TimeSpan.FromMilliseconds(milliseconds));

    /// <summary>A list of labels as people write one: "0, 1", or "a, b, c and 7 more" past <paramref name="max"/>.</summary>
    public static string Labels(IEnumerable<string> labels, int max = 10)
    {
        var all = labels.ToList();
        return all.Count <= max ? string.Join(", ", all) : $"{string.Join(", ", all.Take(max))} and {Count(all.Count - max)} more";
    }

    /// <summary>
    /// A recorded parameter as people read it: a JSON list of labels as "a, b", a decimal to 6 significant digits
    /// (0.786677, not 0.7866766126093294); whole numbers and anything else as written.
    /// </summary>
    public static string Parameter(string raw)
    {
        if (raw.StartsWith('[') && raw.EndsWith(']'))
        {
            try
            {
                if (System.Text.Json.JsonSerializer.Deserialize<List<string>>(raw) is { } list)
                    return Labels(list);
            }
            catch (System.Text.Json.JsonException)
            {
                // not a list of strings: shown as written
            }
        }
        return raw.AsSpan().IndexOfAny('.', 'e', 'E') >= 0 && double.TryParse(raw, NumberStyles.Float, CultureInfo.InvariantCulture, out var value)
            ? Format(value, 6) : raw;
    }

    /// <summary>Labels cut to <paramref name="max"/> characters (start…end), unless cutting would make two of them alike.</summary>
    public static IReadOnlyList<string> Shorten(IReadOnlyList<string> labels, int max)
    {
        var keep = (max - 1) / 2;
        var cut = labels.Select(l => l.Length <= max ? l : l[..keep] + "…" + l[^keep..]).ToList();
        return cut.Distinct(StringComparer.Ordinal).Count() == labels.Distinct(StringComparer.Ordinal).Count() ? cut : labels;
    }

    /// <summary>A UTC instant as <see cref="UtcTime"/> shows it, for places that render text rather than a component.</summary>
    public static string Utc(DateTime value) => value.ToString("yyyy-MM-dd HH:mm", CultureInfo.InvariantCulture) + " UTC";

    private static string Pair(int major, string majorUnit, int minor, string minorUnit) =>
        minor == 0 ? $"{major} {majorUnit}" : $"{major} {majorUnit} {minor} {minorUnit}";

    // "1.5E-07" → "1.5e-7"
    private static string Exponent(string text)
    {
        var at = text.IndexOf('E', StringComparison.Ordinal);
        var exponent = int.Parse(text[(at + 1)..], NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture);
        return text[..at] + "e" + exponent.ToString(CultureInfo.InvariantCulture);
    }
}
