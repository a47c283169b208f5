using ControlPlane.Domain.Registry;

namespace ControlPlane.Web.Components.Pages.Models;

/// <summary>
/// A model's signature in a data scientist's words: what it reads and what it predicts, each as text, number, … with
/// its shape. ML.NET lists its own working columns (names starting with "__", the feature vector its pipeline builds)
/// and echoes its inputs among its outputs; those are internals, set aside here when showing (so the signatures that
/// existing versions stored read well too), never dropped from what is stored.
/// </summary>
public static class SignatureTerms
{
    /// <summary>One input or output: <see cref="Raw"/> is the stored type name, kept for a tooltip.</summary>
    public sealed record Column(string Name, string Kind, string Shape, string Raw);

    /// <summary>The model's real inputs and outputs, and the internal columns set aside.</summary>
    public sealed record Described(IReadOnlyList<TensorSpec> Inputs, IReadOnlyList<TensorSpec> Outputs, IReadOnlyList<TensorSpec> Internal);

    // What ML.NET's predictors write (its DefaultColumnNames): where one is present, the other outputs are its pipeline's columns.
    private static readonly HashSet<string> Predictions = new(StringComparer.Ordinal) { "PredictedLabel", "Score", "Probability", "FeatureContributions" };

    // ML.NET's ONNX export names each output after its column: "Score.output".
    private const string OnnxOutputSuffix = ".output";

    public static Described Describe(ModelSignature signature, ModelFlavor flavor)
    {
        var inputs = signature.Inputs.Where(s => !IsWorkingColumn(s.Name)).ToList();
        var inputNames = inputs.Select(s => s.Name).ToHashSet(StringComparer.Ordinal);
        var fromMlNet = flavor == ModelFlavor.MlNet || signature.Outputs.Any(s => s.Name.EndsWith(OnnxOutputSuffix, StringComparison.Ordinal));
        var predicts = fromMlNet && signature.Outputs.Any(s => Predictions.Contains(BaseName(s.Name)));
        bool Internal(TensorSpec s)
        {
            var name = BaseName(s.Name);
            return IsWorkingColumn(name) || (fromMlNet && inputNames.Contains(name)) || (predicts && !Predictions.Contains(name));
        }
        return new Described(inputs, signature.Outputs.Where(s => !Internal(s)).ToList(),
            [.. signature.Inputs.Where(s => IsWorkingColumn(s.Name)), .. signature.Outputs.Where(Internal)]);
    }

    public static Column Of(TensorSpec spec) => new(spec.Name, Kind(spec.ElementType), Shape(spec.Shape), spec.ElementType);

    /// <summary>A stored type name (ML.NET's .NET type, or ONNX's element type and sequence/map forms) in plain words.</summary>
    public static string Kind(string type)
    {
        if (Inner(type, "sequence<") is { } item)
            return $"list of {Kind(item)}";
        if (Inner(type, "map<") is { } pair && pair.IndexOf(',') is var comma and > 0)
            return $"{{{Kind(pair[..comma])} → {Kind(pair[(comma + 1)..])}}}";
        return type.Trim().ToLowerInvariant() switch
        {
            "readonlymemory`1" or "string" or "char" => "text",
            "single" or "double" or "float" or "float16" or "bfloat16" or "half" or "decimal" => "number",
            "byte" or "sbyte" or "int8" or "uint8" or "int16" or "uint16" or "int32" or "uint32" or "int64" or "uint64" => "whole number",
            "boolean" or "bool" => "true/false",
            "datetime" or "datetimeoffset" => "date and time",
            "timespan" => "duration",
            _ => type,
        };
    }

    /// <summary>[1] is one value, [n] n values, a dynamic length any number; more dimensions as [?, 3] (? is any size).</summary>
    public static string Shape(IReadOnlyList<long> shape) => shape switch
    {
        [] => "—",
        [1] => "one value",
        [< 0] => "any number of values",
        [var n] => $"{n} values",
        _ => "[" + string.Join(", ", shape.Select(d => d < 0 ? "?" : d.ToString(System.Globalization.CultureInfo.InvariantCulture))) + "]",
    };

    private static bool IsWorkingColumn(string name) => name.StartsWith("__", StringComparison.Ordinal);

    private static string BaseName(string name) => name.EndsWith(OnnxOutputSuffix, StringComparison.Ordinal) ? name[..^OnnxOutputSuffix.Length] : name;

    private static string? Inner(string type, string prefix) =>
        type.StartsWith(prefix, StringComparison.Ordinal) && type.EndsWith('>') ? type[prefix.Length..^1] : null;
}
