using System.Globalization;

namespace ControlPlane.Domain.Schedules;

/// <summary>
/// Plain English for the common shapes of a five-field cron expression ("every 15 minutes", "at 03:00 on Monday");
/// anything else is returned as written rather than described wrongly.
/// </summary>
public static class CronDescriber
{
    private static readonly string[] Days = ["Sunday", "Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday"];
    private static readonly string[] DayNames = ["SUN", "MON", "TUE", "WED", "THU", "FRI", "SAT"];

    private static readonly Dictionary<string, string> Macros = new(StringComparer.OrdinalIgnoreCase)
    {
        ["@hourly"] = "0 * * * *", ["@daily"] = "0 0 * * *", ["@midnight"] = "0 0 * * *", ["@weekly"] = "0 0 * * 0", ["@monthly"] = "0 0 1 * *",
    };

    public static string Describe(string? cron)
    {
        var raw = cron?.Trim() ?? "";
        var expression = Macros.GetValueOrDefault(raw, raw);
        var f = expression.Split((char[])[' ', '\t'], StringSplitOptions.RemoveEmptyEntries);
        return f.Length == 5 && f[3] == "*" ? DescribeFields(f[0], f[1], f[2], f[4]) ?? raw : raw;
    }

    private static string? DescribeFields(string minute, string hour, string dayOfMonth, string dayOfWeek)
    {
        if (hour == "*" && dayOfMonth == "*" && dayOfWeek == "*")
        {
            if (minute == "*")
                return "every minute";
            if (Step(minute) is { } step)
                return step == 1 ? "every minute" : $"every {step} minutes";
            if (Number(minute, 59) is { } m)
                return m == 0 ? "every hour" : $"every hour at minute {m}";
            return null;
        }
        if (Number(minute, 59) is not { } at)
            return null;
        if (Step(hour) is { } hours && dayOfMonth == "*" && dayOfWeek == "*")
            return (hours == 1 ? "every hour" : $"every {hours} hours") + (at == 0 ? "" : $" at minute {at}");
        if (Number(hour, 23) is not { } h)
            return null;
        var time = $"at {h:00}:{at:00}";
        if (dayOfMonth == "*" && dayOfWeek == "*")
            return $"{time} every day";
        if (dayOfMonth == "*")
            return WeekDays(dayOfWeek) is { } days ? $"{time} on {days}" : null;
        if (dayOfWeek == "*" && Number(dayOfMonth, 31) is { } day and > 0)
            return $"{time} on day {day} of every month";
        return null;
    }

    private static string? WeekDays(string field)
    {
        var range = field.Split('-');
        if (range.Length == 2)
            return Day(range[0]) is { } from && Day(range[1]) is { } to ? $"{Days[from]} through {Days[to]}" : null;
        var days = field.Split(',').Select(Day).ToList();
        if (days.Any(d => d is null))
            return null;
        var names = days.Select(d => Days[d!.Value]).ToList();
        return names.Count == 1 ? names[0] : $"{string.Join(", ", names[..^1])} and {names[^1]}";
    }

    private static int? Day(string text)
    {
        var named = Array.IndexOf(DayNames, text.ToUpperInvariant());
        if (named >= 0)
            return named;
        return Number(text, 7) is { } n ? n % 7 : null;
    }

    private static int? Step(string field) =>
        field.StartsWith("*/", StringComparison.Ordinal) && Number(field[2..], 59) is { } n and > 0 ? n : null;

    private static int? Number(string text, int max) =>
        int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var n) && n <= max ? n : null;
}
