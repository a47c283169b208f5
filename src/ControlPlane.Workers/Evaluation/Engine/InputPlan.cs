using ControlPlane.Domain.Datasets;
using ControlPlane.Domain.Datasets.Reading;
using ControlPlane.Domain.Registry;
using Microsoft.ML.OnnxRuntime;
using Microsoft.ML.OnnxRuntime.Tensors;

namespace ControlPlane.Workers.Evaluation.Engine;

/// <summary>
/// Which columns feed which model inputs. The pairing is <see cref="DatasetCompatibility"/>'s (so evaluation refuses
/// exactly what the UI flags): one 2-D numeric input takes the feature columns packed row-major (schema order, or the
/// explicit <see cref="EvaluationInput.Features"/> order); otherwise each input takes the column of its name.
/// </summary>
internal sealed record InputPlan(IReadOnlyList<InputBinding> Bindings, IReadOnlyList<string> Warnings)
{
    private static readonly HashSet<TensorElementType> Supported =
        [TensorElementType.Float, TensorElementType.Double, TensorElementType.Int64, TensorElementType.Int32, TensorElementType.Bool, TensorElementType.String];

    public string[] InputNames => [.. Bindings.Select(b => b.Input)];

    public static InputPlan Build(IReadOnlyDictionary<string, NodeMetadata> inputs, ModelSignature signature, EvaluationInput input, BatchLayout layout)
    {
        var report = DatasetCompatibility.Check(SchemaWithFeatures(input), signature);
        var errors = report.Issues.Where(i => i.Severity == CompatibilitySeverity.Error).Select(i => i.Message).ToList();
        if (!report.Compatible)
            throw new EvaluationInputException($"The dataset does not fit the model: {string.Join(" ", errors)}");
        var bindings = report.Mappings.Select(mapping =>
        {
            var columns = report.FeatureVector && input.Features is { } explicitOrder ? explicitOrder : mapping.Columns;
            return Bind(mapping.Input, inputs[mapping.Input], columns, report.FeatureVector, layout);
        }).ToList();
        var warnings = report.Issues.Where(i => i.Severity == CompatibilitySeverity.Warning && i.Input is not null).Select(i => i.Message).ToList();
        return new InputPlan(bindings, warnings);
    }

    /// <summary>The schema with exactly the explicit features in the Feature role, so the check counts those.</summary>
    private static IReadOnlyList<DatasetColumn> SchemaWithFeatures(EvaluationInput input)
    {
        if (input.Features is not { } features)
            return input.Schema;
        var chosen = new HashSet<string>(features, StringComparer.OrdinalIgnoreCase);
        foreach (var name in chosen.Where(n => !input.Schema.Any(c => string.Equals(c.Name, n, StringComparison.OrdinalIgnoreCase))))
            throw new EvaluationInputException($"The feature column '{name}' is not in the dataset's schema.");
        return [.. input.Schema.Select(c => chosen.Contains(c.Name) ? c with { Role = ColumnRole.Feature }
            : c.Role == ColumnRole.Feature ? c with { Role = ColumnRole.Ignored } : c)];
    }

    private static InputBinding Bind(string name, NodeMetadata meta, IReadOnlyList<string> columns, bool featureVector, BatchLayout layout)
    {
        if (!meta.IsTensor || !Supported.Contains(meta.ElementDataType))
            throw new EvaluationInputException($"Input '{name}' is {Describe(meta)}; the evaluator feeds float, double, int64, int32, bool and string tensors.");
        var dims = meta.Dimensions;
        if (dims.Length is 0 or > 2)
            throw new EvaluationInputException($"Input '{name}' has {dims.Length} dimensions; the evaluator feeds [rows] or [rows, values] tensors.");
        if (dims[0] > 0)
            throw new EvaluationInputException($"Input '{name}' has a fixed batch dimension of {dims[0]}; export the model with a dynamic first dimension.");
        if (!featureVector && dims.Length == 2 && dims[1] > 1)
            throw new EvaluationInputException($"Input '{name}' takes {dims[1]} values per row, but a dataset column holds one.");
        var readAs = meta.ElementDataType == TensorElementType.String ? ColumnReadAs.Text : ColumnReadAs.Number;
        var requests = columns.Select(c => layout.Request(c, readAs)).ToArray();
        return new InputBinding(name, meta.ElementDataType, dims.Length == 1, columns, requests);
    }

    private static string Describe(NodeMetadata meta) => meta.IsTensor ? $"a {meta.ElementDataType} tensor" : $"a {meta.OnnxValueType}";
}
