using System.Text.RegularExpressions;
using ControlPlane.Domain.Common;

namespace ControlPlane.Domain.Registry;

internal static partial class RegistryRules
{
    public const int MaxTags = 50;

    public static string ModelName(string? name) => ResourceName(name, "model");

    /// <summary>Names of models and datasets: 1 to 128 letters, digits, '-', '_' or '.'.</summary>
    public static string ResourceName(string? name, string kind)
    {
        var trimmed = name?.Trim() ?? "";
        if (!ModelNamePattern().IsMatch(trimmed))
            throw Invalid("name", $"A {kind} name has 1 to 128 letters, digits, '-', '_' or '.'.");
        return trimmed;
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

    public static ValidationException Invalid(string field, string message) =>
        new(message, new Dictionary<string, string[]> { [field] = [message] });

    [GeneratedRegex("^[A-Za-z0-9._-]{1,128}$")]
    private static partial Regex ModelNamePattern();

    [GeneratedRegex("^[a-z0-9][a-z0-9_-]{0,63}$")]
    private static partial Regex AliasPattern();
}
