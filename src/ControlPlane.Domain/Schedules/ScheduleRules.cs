using ControlPlane.Domain.Common;
using Cronos;

namespace ControlPlane.Domain.Schedules;

/// <summary>Validation shared by edits and proposals: cron as the job system parses it, time zone, reason.</summary>
public static class ScheduleRules
{
    public const int MaxReasonLength = 1000;

    /// <summary>Parses five fields, or six with seconds first, as Hangfire does; a bad expression is a 400 naming the problem (and <paramref name="field"/>).</summary>
    public static CronExpression Cron(string? cron, string field = "cron")
    {
        var text = cron?.Trim();
        if (string.IsNullOrEmpty(text))
            throw Invalid(field, "Give a cron expression, e.g. \"0 3 * * 1\" (03:00 every Monday).");
        if (text.Length > 128)
            throw Invalid(field, "A cron expression has at most 128 characters.");
        var fields = text.Split((char[])[' ', '\t'], StringSplitOptions.RemoveEmptyEntries).Length;
        if (!text.StartsWith('@') && fields is not (5 or 6))
            throw Invalid(field, $"'{text}' is not a valid cron expression: it has {fields} fields; use five (minute hour day-of-month month day-of-week) or six with seconds first.");
        try
        {
            return CronExpression.Parse(text, fields == 6 ? CronFormat.IncludeSeconds : CronFormat.Standard);
        }
        catch (CronFormatException e)
        {
            throw Invalid(field, $"'{text}' is not a valid cron expression: {e.Message}");
        }
    }

    /// <summary>
    /// A cron expression a schedule may be set to: it parses, it fires at all, and never twice within
    /// <see cref="ScheduleOptions.MinimumInterval"/> (checked over its next occurrences, which repeat the pattern's gaps).
    /// </summary>
    public static CronExpression Cron(string? cron, ScheduleOptions options, string field = "cron")
    {
        var expression = Cron(cron, field);
        var from = new DateTime(2026, 1, 1, 0, 0, 0, DateTimeKind.Utc); // a fixed start: the same answer whenever it is asked
        if (expression.GetNextOccurrence(from) is not { } previous)
            throw Invalid(field, $"'{cron!.Trim()}' never fires.");
        for (var i = 0; i < CheckedOccurrences && expression.GetNextOccurrence(previous) is { } next; i++, previous = next)
            if (next - previous < options.MinimumInterval)
                throw Invalid(field, $"'{cron!.Trim()}' fires {(next - previous).TotalSeconds:0.#} s apart; schedules run at most every {options.MinimumInterval.TotalSeconds:0.#} s.");
        return expression;
    }

    private const int CheckedOccurrences = 1000;

    public static TimeZoneInfo TimeZone(string? id) => Drift.DriftRules.TimeZone(id);

    public static string Reason(string? reason)
    {
        var text = reason?.Trim();
        if (string.IsNullOrEmpty(text))
            throw Invalid("reason", "Say why: every schedule change is audited with a reason.");
        if (text.Length > MaxReasonLength)
            throw Invalid("reason", $"A reason has at most {MaxReasonLength} characters.");
        return text;
    }

    public static DateTime? NextRun(string cron, string timeZone, DateTimeOffset now)
    {
        try
        {
            return Cron(cron).GetNextOccurrence(now.UtcDateTime, TimeZone(timeZone));
        }
        catch (ValidationException)
        {
            return null; // a stored expression that no longer parses has no next run; the list still shows it
        }
    }

    internal static ValidationException Invalid(string field, string message) => ValidationException.For(field, message);
}
