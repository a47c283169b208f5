using System.Text.Json;
using System.Text.RegularExpressions;
using Microsoft.AspNetCore.Mvc;

namespace ControlPlane.Web.Apis.Input;

/// <summary>
/// A request whose body, route or query values cannot be read, answered naming the field (from the JSON reader's path
/// or the parameter that failed to bind) and, for an enum, the values it takes.
/// </summary>
internal static partial class UnreadableBody
{
    public static ProblemDetails Problem(BadHttpRequestException exception)
    {
        var (field, type) = exception.InnerException is JsonException { Path: { Length: > 1 } path } json
            ? (path.StartsWith("$.", StringComparison.Ordinal) ? path[2..] : path.TrimStart('$'), EnumNamed(ConvertedTo().Match(json.Message)))
            : FailedToBind().Match(exception.Message) is { Success: true } bind ? (bind.Groups["name"].Value, EnumNamed(bind)) : (null, null);
        if (field is null)
            return new ProblemDetails { Status = exception.StatusCode, Title = "The request could not be read.", Detail = exception.Message };
        var message = type is null ? "This value has the wrong type or format." : $"Not one of {string.Join(", ", Enum.GetNames(type))}.";
        return new HttpValidationProblemDetails(new Dictionary<string, string[]> { [field] = [message] })
        {
            Status = StatusCodes.Status400BadRequest, Title = "The request could not be read.", Detail = $"{field}: {message}",
        };
    }

    /// <summary>The domain's enums by name, looked up once rather than on every unreadable request.</summary>
    private static readonly Lazy<Dictionary<string, Type>> Enums = new(() => typeof(ControlPlane.Domain.Common.Actor).Assembly.GetTypes()
        .Where(t => t.IsEnum).GroupBy(t => t.Name).ToDictionary(g => g.Key, g => g.First(), StringComparer.Ordinal));

    private static Type? EnumNamed(Match match) =>
        match.Success ? Enums.Value.GetValueOrDefault(match.Groups["type"].Value.Split('.')[^1]) : null;

    [GeneratedRegex(@"converted to (?:System\.Nullable`1\[)?(?<type>[\w.]+)")]
    private static partial Regex ConvertedTo();

    [GeneratedRegex(@"Failed to bind parameter ""(?:Nullable<)?(?<type>[\w.]+)>? (?<name>\w+)"" from")]
    private static partial Regex FailedToBind();
}
