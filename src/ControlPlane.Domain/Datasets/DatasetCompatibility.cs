using ControlPlane.Domain.Registry;

namespace ControlPlane.Domain.Datasets;

public enum CompatibilitySeverity
{
    Error,
    Warning,
}

public sealed record CompatibilityIssue(CompatibilitySeverity Severity, string? Input, string? Column, string Message);

/// <summary>Which dataset columns feed one model input.</summary>
public sealed record InputMapping(string Input, IReadOnlyList<string> Columns);

/// <summary>
/// Whether a dataset version can feed a model version. <see cref="FeatureVector"/> is true when the model takes
/// one 2-D numeric tensor filled from the feature columns in schema order; otherwise inputs match columns by name.
/// </summary>
public sealed record CompatibilityReport(bool Compatible, bool FeatureVector, IReadOnlyList<InputMapping> Mappings, IReadOnlyList<CompatibilityIssue> Issues);

/// <summary>The check evaluation and retraining reuse before they read a dataset, and the UI shows.</summary>
public static class DatasetCompatibility
{
    private static readonly HashSet<string> NumericTypes = new(StringComparer.Ordinal)
    {
        "float", "double", "int64", "int32", "int16", "int8", "uint8", "uint16", "uint32", "uint64", "float16", "bfloat16",
        "Single", "Double", "Int64", "Int32", "Int16", "SByte", "Byte", "UInt16", "UInt32", "UInt64",
    };

    private static readonly HashSet<string> TextTypes = new(StringComparer.Ordinal) { "string", "String", "ReadOnlyMemory`1" };

    private static readonly HashSet<string> BoolTypes = new(StringComparer.Ordinal) { "bool", "Boolean" };

    public static CompatibilityReport Check(IReadOnlyList<DatasetColumn> schema, ModelSignature signature)
    {
        var issues = new List<CompatibilityIssue>();
        var mappings = new List<InputMapping>();
        var byName = schema.ToDictionary(c => c.Name, StringComparer.OrdinalIgnoreCase);
        var featureVector = signature.Inputs.Count == 1 && signature.Inputs[0] is { Shape.Count: 2 } only
            && NumericTypes.Contains(only.ElementType) && !byName.ContainsKey(only.Name);

        if (featureVector)
            CheckFeatureVector(schema, signature.Inputs[0], mappings, issues);
        else
            foreach (var input in signature.Inputs)
                CheckNamedInput(byName, input, mappings, issues);

        if (!schema.Any(c => c.Role == ColumnRole.Label))
            issues.Add(new(CompatibilitySeverity.Warning, null, null, "No column has the Label role: evaluation and training need one."));
        return new CompatibilityReport(issues.All(i => i.Severity != CompatibilitySeverity.Error), featureVector, mappings, issues);
    }

    private static void CheckFeatureVector(IReadOnlyList<DatasetColumn> schema, TensorSpec input, List<InputMapping> mappings, List<CompatibilityIssue> issues)
    {
        var features = schema.Where(c => c.Role == ColumnRole.Feature).OrderBy(c => c.Ordinal).ToList();
        mappings.Add(new(input.Name, features.Select(c => c.Name).ToList()));
        if (features.Count == 0)
            issues.Add(new(CompatibilitySeverity.Error, input.Name, null, $"Input '{input.Name}' takes a feature vector, but no column has the Feature role."));
        else if (input.Shape[1] > 0 && input.Shape[1] != features.Count)
            issues.Add(new(CompatibilitySeverity.Error, input.Name, null,
                $"Input '{input.Name}' takes {input.Shape[1]} features per row; the dataset has {features.Count} feature columns."));
        foreach (var column in features.Where(c => c.Type is not (ColumnType.Numerical or ColumnType.Boolean)))
            issues.Add(new(CompatibilitySeverity.Error, input.Name, column.Name,
                $"Feature column '{column.Name}' is {column.Type}; input '{input.Name}' is a {input.ElementType} tensor and needs numbers."));
    }

    private static void CheckNamedInput(Dictionary<string, DatasetColumn> byName, TensorSpec input, List<InputMapping> mappings, List<CompatibilityIssue> issues)
    {
        if (!byName.TryGetValue(input.Name, out var column))
        {
            issues.Add(new(CompatibilitySeverity.Error, input.Name, null, $"The model input '{input.Name}' ({input.ElementType}) has no column of that name in the dataset."));
            return;
        }
        mappings.Add(new(input.Name, [column.Name]));
        // ML.NET keeps the training label in its input schema (and its ONNX exports take it as an input): the label
        // column feeding the input of its name is expected, and 0/1 labels fill a Boolean label.
        var label = column.Role == ColumnRole.Label;
        var fits = column.Type switch
        {
            ColumnType.Numerical => NumericTypes.Contains(input.ElementType) || (label && BoolTypes.Contains(input.ElementType)),
            ColumnType.Boolean => BoolTypes.Contains(input.ElementType) || NumericTypes.Contains(input.ElementType) || TextTypes.Contains(input.ElementType),
            ColumnType.Categorical or ColumnType.Text => TextTypes.Contains(input.ElementType),
            ColumnType.DateTime => TextTypes.Contains(input.ElementType),
            _ => false,
        };
        if (!fits)
            issues.Add(new(CompatibilitySeverity.Error, input.Name, column.Name,
                $"Column '{column.Name}' is {column.Type} but the model input '{input.Name}' is {input.ElementType}."));
        if (column.Role == ColumnRole.Ignored)
            issues.Add(new(CompatibilitySeverity.Warning, input.Name, column.Name, $"Column '{column.Name}' feeds input '{input.Name}' but its role is {column.Role}."));
    }
}
