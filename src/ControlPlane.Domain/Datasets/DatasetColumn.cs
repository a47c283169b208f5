using System.Text.Json;
using System.Text.Json.Serialization;

namespace ControlPlane.Domain.Datasets;

/// <summary>A column of a dataset version's schema: the type inferred from the file, the type in use, and its role.</summary>
public sealed record DatasetColumn(int Ordinal, string Name, ColumnType InferredType, ColumnType Type, ColumnRole Role, long MissingCount)
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web)
    {
        Converters = { new JsonStringEnumConverter() },
        Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
    };

    public static string ToJson(IReadOnlyList<DatasetColumn> columns) => JsonSerializer.Serialize(columns, Json);

    public static IReadOnlyList<DatasetColumn> FromJson(string json) => JsonSerializer.Deserialize<List<DatasetColumn>>(json, Json)!;
}
