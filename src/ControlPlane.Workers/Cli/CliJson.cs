using System.Text.Json;
using System.Text.Json.Serialization;

namespace ControlPlane.Workers.Cli;

/// <summary>How commands write JSON: camelCase names and enum values, absent values left out, indented for people.</summary>
internal static class CliJson
{
    public static JsonSerializerOptions Options { get; } = new(JsonSerializerDefaults.Web)
    {
        WriteIndented = true,
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
        // A statistic that is not finite is written as "NaN"/"Infinity" rather than failing the whole report.
        NumberHandling = JsonNumberHandling.AllowNamedFloatingPointLiterals,
        Converters = { new JsonStringEnumConverter(JsonNamingPolicy.CamelCase) },
        // Output for a terminal or a file, never for HTML: χ², – and the like as themselves, not \u escapes.
        Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
    };
}
