using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace ControlPlane.Domain.Datasets.Profiling;

/// <summary>The stored form of a <see cref="DatasetProfile"/>: camelCase JSON with enums as their names.</summary>
public static class DatasetProfileJson
{
    private static readonly JsonSerializerOptions Options = new(JsonSerializerDefaults.Web)
    {
        Converters = { new JsonStringEnumConverter() },
        Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
        // A statistic of extreme finite values can still overflow (the std of ±1e200); store it rather than fail.
        NumberHandling = JsonNumberHandling.AllowReadingFromString | JsonNumberHandling.AllowNamedFloatingPointLiterals,
    };

    public static string ToJson(DatasetProfile profile) => JsonSerializer.Serialize(profile, Options);

    public static DatasetProfile FromJson(string json) =>
        JsonSerializer.Deserialize<DatasetProfile>(json, Options) ?? throw new JsonException("A dataset profile cannot be null.");
}
