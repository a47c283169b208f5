using ControlPlane.Domain.Common;
using ControlPlane.Domain.Registry;
using Microsoft.ML;
using Microsoft.ML.Data;
using Microsoft.ML.OnnxRuntime;
using Microsoft.ML.OnnxRuntime.Tensors;

namespace ControlPlane.Workers.Inspection;

/// <summary>
/// Tells what an uploaded artifact is by its content, not its name: a zip must load as an ML.NET model, anything
/// else must parse as an ONNX ModelProto, declare no external data, and open in an ONNX Runtime session (CPU).
/// Every refusal is a <see cref="ValidationException"/> that says what is wrong.
/// </summary>
public sealed class ArtifactInspector : IArtifactInspector
{
    private static ReadOnlySpan<byte> ZipMagic => "PK\u0003\u0004"u8;

    public async Task<ArtifactInspection> InspectAsync(string path, CancellationToken ct)
    {
        var head = new byte[4];
        await using (var file = File.OpenRead(path))
            _ = await file.ReadAtLeastAsync(head, 4, throwOnEndOfStream: false, ct);
        return head.AsSpan().SequenceEqual(ZipMagic) ? InspectMlNet(path) : await InspectOnnxAsync(path, ct);
    }

    private static Task<ArtifactInspection> InspectOnnxAsync(string path, CancellationToken ct) => Task.Run(() => InspectOnnx(path), ct);

    private static ArtifactInspection InspectOnnx(string path)
    {
        OnnxProtoFacts facts;
        try
        {
            facts = MappedFile.Read(path, OnnxProtoScanner.Scan);
        }
        catch (InvalidDataException e)
        {
            throw Rejected($"The file is neither an ML.NET zip nor a readable ONNX model: {e.Message}");
        }
        if (facts.IrVersion <= 0 || !facts.HasGraph)
            throw Rejected("The file is neither an ML.NET zip nor an ONNX model: it has no IR version or no graph.");
        if (facts.ExternalDataLocation is not null)
            throw Rejected($"The ONNX model stores tensors in external files ({facts.ExternalDataLocation}); upload a self-contained model (onnx.save_model(..., save_as_external_data=False)).");
        try
        {
            using var options = new SessionOptions { GraphOptimizationLevel = GraphOptimizationLevel.ORT_DISABLE_ALL, LogSeverityLevel = OrtLoggingLevel.ORT_LOGGING_LEVEL_ERROR };
            using var session = new InferenceSession(path, options);
            var meta = session.ModelMetadata;
            var signature = new ModelSignature(
                session.InputMetadata.Select(kv => Describe(kv.Key, kv.Value)).ToList(),
                session.OutputMetadata.Select(kv => Describe(kv.Key, kv.Value)).ToList());
            var onnx = new OnnxMetadata(facts.ProducerName ?? meta.ProducerName, facts.ProducerVersion, facts.IrVersion, facts.Opsets,
                string.IsNullOrEmpty(meta.GraphName) ? null : meta.GraphName, string.IsNullOrEmpty(meta.Description) ? null : meta.Description);
            return new ArtifactInspection(ModelFlavor.Onnx, signature, onnx);
        }
        catch (OnnxRuntimeException e)
        {
            throw Rejected($"ONNX Runtime cannot load the model: {e.Message}");
        }
    }

    internal static TensorSpec Describe(string name, NodeMetadata meta) => new(name, TypeName(meta), meta.IsTensor ? meta.Dimensions.Select(d => (long)d).ToList() : []);

    private static string TypeName(NodeMetadata meta) => meta.OnnxValueType switch
    {
        OnnxValueType.ONNX_TYPE_TENSOR => ElementName(meta.ElementDataType),
        OnnxValueType.ONNX_TYPE_SEQUENCE => $"sequence<{TypeName(meta.AsSequenceMetadata().ElementMeta)}>",
        OnnxValueType.ONNX_TYPE_MAP => $"map<{ElementName(meta.AsMapMetadata().KeyDataType)},{TypeName(meta.AsMapMetadata().ValueMetadata)}>",
        var other => other.ToString(),
    };

    private static string ElementName(TensorElementType type) => type switch
    {
        TensorElementType.Float => "float",
        TensorElementType.Double => "double",
        TensorElementType.Int64 => "int64",
        TensorElementType.Int32 => "int32",
        TensorElementType.String => "string",
        TensorElementType.Bool => "bool",
        var other => other.ToString().ToLowerInvariant(),
    };

    private static ArtifactInspection InspectMlNet(string path)
    {
        try
        {
            var ml = new MLContext(seed: 0);
            var model = ml.Model.Load(path, out var input);
            var output = model.GetOutputSchema(input);
            return new ArtifactInspection(ModelFlavor.MlNet, new ModelSignature(Columns(input), Columns(output)), null);
        }
        catch (Exception e) when (e is InvalidOperationException or FormatException or InvalidDataException or ArgumentException or IOException or NotSupportedException)
        {
            throw Rejected($"The zip is not a loadable ML.NET model: {e.Message}");
        }
    }

    private static List<TensorSpec> Columns(DataViewSchema schema) =>
        schema.Where(c => !c.IsHidden).Select(c => c.Type switch
        {
            VectorDataViewType v => new TensorSpec(c.Name, v.ItemType.RawType.Name, v.Dimensions.IsDefaultOrEmpty ? [-1] : v.Dimensions.Select(d => d == 0 ? -1L : d).ToList()),
            var t => new TensorSpec(c.Name, t.RawType.Name, [1]),
        }).ToList();

    private static ValidationException Rejected(string message) =>
        new(message, new Dictionary<string, string[]> { ["file"] = [message] });
}
