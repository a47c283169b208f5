using ControlPlane.Domain.Common;
using ControlPlane.Domain.Datasets.Reading;

namespace ControlPlane.Domain.Datasets;

/// <summary>Builds a version's schema from what the scan found and the user's overrides.</summary>
public static class DatasetSchemas
{
    // Conventional label names, the most telling first: a file with `y` and `target` has its label in `target`.
    private static readonly string[] LabelNames = ["target", "label", "y", "class"];

    /// <summary>First guesses from the scan: at most one label (the best-named one), the other label-like names features.</summary>
    internal static List<DatasetColumn> FromScan(DatasetScan scan)
    {
        var label = scan.Columns.Select(c => c.Name.Trim().ToLowerInvariant()).Where(LabelNames.Contains).MinBy(n => Array.IndexOf(LabelNames, n));
        return scan.Columns.Select(c => new DatasetColumn(c.Ordinal, c.Name, c.InferredType, c.InferredType, DefaultRole(c, label), c.MissingCount)).ToList();
    }

    /// <summary>
    /// Applies changes by column name (case-insensitive); an unknown column or a second label is a 400. When the roles
    /// are the scan's <paramref name="guesses"/>, a label the changes name replaces the guessed one, which becomes a feature.
    /// </summary>
    internal static List<DatasetColumn> Apply(IReadOnlyList<DatasetColumn> schema, IReadOnlyList<ColumnSchemaChange>? changes, bool guesses = false)
    {
        var result = schema.ToList();
        if (guesses && changes?.Any(c => c.Role == ColumnRole.Label) == true)
            result = result.Select(c => c.Role == ColumnRole.Label ? c with { Role = ColumnRole.Feature } : c).ToList();
        foreach (var change in changes ?? [])
        {
            var index = result.FindIndex(c => string.Equals(c.Name, change.Name?.Trim(), StringComparison.OrdinalIgnoreCase));
            if (index < 0)
                throw Invalid($"The file has no column named '{change.Name}'.");
            result[index] = result[index] with
            {
                Type = ClosedSet.Require(change.Type, "type") ?? result[index].Type, Role = ClosedSet.Require(change.Role, "role") ?? result[index].Role,
            };
        }
        var labels = result.Where(c => c.Role == ColumnRole.Label).Select(c => c.Name).ToList();
        if (labels.Count > 1)
            throw Invalid($"Only one column can be the label; found {string.Join(", ", labels)}.");
        return result;
    }

    /// <summary>The schema as an evaluation sees it: its label column never feeds the model, whatever role it had.</summary>
    public static List<DatasetColumn> WithLabel(IReadOnlyList<DatasetColumn> schema, string label) =>
        schema.Select(c => string.Equals(c.Name, label, StringComparison.OrdinalIgnoreCase) ? c with { Role = ColumnRole.Label } : c).ToList();

    /// <summary>Parses the optional <c>schema</c> JSON of an upload: <c>[{"name":"age","type":"Numerical","role":"Feature"}]</c>.</summary>
    public static IReadOnlyList<ColumnSchemaChange> ParseChanges(string? json)
    {
        if (string.IsNullOrWhiteSpace(json))
            return [];
        try
        {
            return System.Text.Json.JsonSerializer.Deserialize<List<ColumnSchemaChange>>(json, ChangeJson) ?? [];
        }
        catch (System.Text.Json.JsonException e)
        {
            throw Invalid($"The schema is not valid JSON of the form [{{\"name\":…,\"type\":…,\"role\":…}}]: {e.Message}");
        }
    }

    private static readonly System.Text.Json.JsonSerializerOptions ChangeJson = new(System.Text.Json.JsonSerializerDefaults.Web)
    {
        Converters = { new System.Text.Json.Serialization.JsonStringEnumConverter() },
    };

    // A first guess the user can correct: conventional names, then the type.
    private static ColumnRole DefaultRole(ScannedColumn column, string? label) => column.Name.Trim().ToLowerInvariant() switch
    {
        var name when name == label => ColumnRole.Label,
        "prediction" or "predicted" or "score" => ColumnRole.Prediction,
        "id" => ColumnRole.Id,
        _ => column.InferredType switch
        {
            ColumnType.DateTime => ColumnRole.Timestamp,
            ColumnType.Text => ColumnRole.Ignored,
            _ => ColumnRole.Feature,
        },
    };

    private static ValidationException Invalid(string message) => new(message, new Dictionary<string, string[]> { ["schema"] = [message] });
}
