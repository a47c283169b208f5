using System.Text.RegularExpressions;
using ControlPlane.Domain.Common;

namespace ControlPlane.Domain.Registry;

internal static partial class RegistryRules
{
    public const int MaxTags = 50;

    public static string ModelName(string? name) => ResourceName(name, "model");

    /// <summary>
    /// Names of models and datasets: 1 to 128 letters, digits, '-', '_' or '.', not dots alone ("." and ".." are path
    /// segments that URLs resolve away, so such a model could never be addressed).
    /// </summary>
    public static string ResourceName(string? name, string kind)
    {
        var trimmed = name?.Trim() ?? "";
        if (!ModelNamePattern().IsMatch(trimmed))
            throw Invalid("name", $"A {kind} name has 1 to 128 letters, digits, '-', '_' or '.'.");
        if (trimmed.All(c => c == '.'))
            throw Invalid("name", $"A {kind} name needs a letter, digit, '-' or '_': '{trimmed}' is a path segment.");
        return trimmed;
    }

    public const int MaxFileNameLength = 255;

    /// <summary>
    /// An uploaded file's name as it may be stored and echoed: its last path segment, without control or format characters
    /// (CR, LF, NUL, Unicode direction overrides), cut to <see cref="MaxFileNameLength"/>; null when nothing is left.
    /// </summary>
    public static string? FileName(string? name)
    {
        if (name is null)
            return null;
        var clean = new string([.. name.Where(c => char.GetUnicodeCategory(c) is not (System.Globalization.UnicodeCategory.Control or System.Globalization.UnicodeCategory.Format))]);
        clean = Path.GetFileName(clean.Replace('\\', '/')).Trim();
        if (clean.Length > MaxFileNameLength)
            clean = clean[..MaxFileNameLength];
        if (clean.Length > 0 && char.IsHighSurrogate(clean[^1]))
            clean = clean[..^1];
        return clean.Length == 0 || clean.All(c => c == '.') ? null : clean;
    }

    public static string AliasName(string? name)
    {
        var trimmed = name?.Trim() ?? "";
        if (!AliasPattern().IsMatch(trimmed))
            throw Invalid("alias", "An alias has 1 to 64 lowercase letters, digits, '-' or '_', starting with a letter or digit.");
        return trimmed;
    }

    public static Dictionary<string, string> Tags(IReadOnlyDictionary<string, string>? tags)
    {
        var result = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var (key, value) in tags ?? new Dictionary<string, string>())
        {
            var k = key?.Trim() ?? "";
            if (k.Length is 0 or > 64 || (value?.Length ?? 0) > 256)
                throw Invalid("tags", "Tag keys have 1 to 64 characters and values at most 256.");
            result[k] = value ?? "";
        }
        if (result.Count > MaxTags)
            throw Invalid("tags", $"At most {MaxTags} tags are allowed.");
        return result;
    }

    public static string? Text(string? value, int max, string field)
    {
        if (value is not null && value.Length > max)
            throw Invalid(field, $"{field} has at most {max} characters.");
        return string.IsNullOrWhiteSpace(value) ? null : value;
    }

    /// <summary>The reason of an audited registry change (stage, alias): required, since the audit trail and the history show it.</summary>
    public static string Reason(string? value) =>
        Text(value, 2000, "reason")?.Trim() ?? throw Invalid("reason", "State the reason for this change; it is kept in the audit trail.");

    public static void Metrics(IReadOnlyDictionary<string, double>? metrics)
    {
        foreach (var (key, value) in metrics ?? new Dictionary<string, double>())
        {
            if (key.Length is 0 or > 128)
                throw Invalid("metrics", "Metric names have 1 to 128 characters.");
            if (!double.IsFinite(value))
                throw Invalid("metrics", $"Metric '{key}' is {value}: only finite numbers are accepted.");
        }
    }

    public static ValidationException Invalid(string field, string message) => ValidationException.For(field, message);

    [GeneratedRegex("^[A-Za-z0-9._-]{1,128}$")]
    private static partial Regex ModelNamePattern();

    [GeneratedRegex("^[a-z0-9][a-z0-9_-]{0,63}$")]
    private static partial Regex AliasPattern();
}
