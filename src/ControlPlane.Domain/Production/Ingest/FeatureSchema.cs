using ControlPlane.Domain.Datasets;
using ControlPlane.Domain.Registry;

namespace ControlPlane.Domain.Production.Ingest;

/// <summary>One feature a version's prediction records must carry. Numerical features are stored as DOUBLE, the others as text.</summary>
public sealed record FeatureSpec(string Name, ColumnType Type)
{
    public bool IsNumeric => Type == ColumnType.Numerical;
}

/// <summary>
/// The features of one model version: the Feature-role columns of its training dataset version when it has lineage,
/// else its signature's inputs (a 1-D or [-1,1] input is one column named as the input; a [-1,k] input is k numeric
/// columns <c>{input}_{i}</c>, i from 0).
/// </summary>
public sealed class FeatureSchema
{
    private static readonly HashSet<string> TextElements = new(StringComparer.OrdinalIgnoreCase) { "string", "ReadOnlyMemory`1" };

    public FeatureSchema(IReadOnlyList<FeatureSpec> features) => Features = features;

    public IReadOnlyList<FeatureSpec> Features { get; }

    public static FeatureSchema FromDataset(IReadOnlyList<DatasetColumn> columns) =>
        new([.. columns.Where(c => c.Role == ColumnRole.Feature).OrderBy(c => c.Ordinal).Select(c => new FeatureSpec(c.Name, c.Type))]);

    public static FeatureSchema FromSignature(ModelSignature signature)
    {
        var features = new List<FeatureSpec>();
        foreach (var input in signature.Inputs)
        {
            var width = Width(input.Shape);
            if (width <= 1)
                features.Add(new FeatureSpec(input.Name, TextElements.Contains(input.ElementType) ? ColumnType.Categorical : ColumnType.Numerical));
            else
                features.AddRange(Enumerable.Range(0, width).Select(i => new FeatureSpec($"{input.Name}_{i}", ColumnType.Numerical)));
        }
        return new FeatureSchema(features);
    }

    /// <summary>Values per row: the product of the dimensions after the batch one; an unknown inner size counts as one value.</summary>
    private static int Width(IReadOnlyList<long> shape)
    {
        if (shape.Count <= 1)
            return 1;
        long width = 1;
        foreach (var dim in shape.Skip(1))
        {
            if (dim <= 0)
                return 1;
            width *= dim;
        }
        return (int)Math.Min(width, int.MaxValue);
    }
}
