using System.Text.Json;

namespace ControlPlane.Domain.Registry;

/// <summary>A tensor or column of a model's interface; -1 marks a dynamic dimension.</summary>
public sealed record TensorSpec(string Name, string ElementType, IReadOnlyList<long> Shape);

public sealed record ModelSignature(IReadOnlyList<TensorSpec> Inputs, IReadOnlyList<TensorSpec> Outputs)
{
    internal static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web) { Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    public string ToJson() => JsonSerializer.Serialize(this, Json);

    public static ModelSignature FromJson(string json) => JsonSerializer.Deserialize<ModelSignature>(json, Json)!;
}

public sealed record OnnxMetadata(string? ProducerName, string? ProducerVersion, long IrVersion, IReadOnlyDictionary<string, long> OpsetImports, string? GraphName, string? Description)
{
    public string ToJson() => JsonSerializer.Serialize(this, ModelSignature.Json);

    public static OnnxMetadata FromJson(string json) => JsonSerializer.Deserialize<OnnxMetadata>(json, ModelSignature.Json)!;
}

/// <summary>What inspecting an uploaded artifact found.</summary>
public sealed record ArtifactInspection(ModelFlavor Flavor, ModelSignature Signature, OnnxMetadata? Onnx);

/// <summary>Reads a stored artifact and says what model it is, or throws a <see cref="Common.ValidationException"/> saying why it is not one.</summary>
public interface IArtifactInspector
{
    Task<ArtifactInspection> InspectAsync(string path, CancellationToken ct);
}
