using System.Reflection;
using ControlPlane.Workers.Evaluation.Engine;
using Microsoft.ML;

namespace ControlPlane.Workers.Evaluation.MlNet;

/// <summary>An ML.NET zip loaded for scoring: its transformer, the input schema it was saved with, and what it predicts.</summary>
internal sealed class MlNetModel
{
    private readonly MLContext _ml;

    private MlNetModel(MLContext ml, ITransformer transformer, DataViewSchema inputSchema)
    {
        _ml = ml;
        Transformer = transformer;
        InputSchema = inputSchema;
        Outputs = MlNetOutputs.Detect(transformer.GetOutputSchema(inputSchema));
    }

    /// <summary>The ML.NET that loads, scores and exports here (the cache of exports is keyed by it too).</summary>
    public static string Version { get; } =
        typeof(MLContext).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion.Split('+')[0]
        ?? typeof(MLContext).Assembly.GetName().Version!.ToString();

    public ITransformer Transformer { get; }
    public DataViewSchema InputSchema { get; }
    public MlNetOutputs Outputs { get; }

    public static MlNetModel Load(string path)
    {
        var ml = new MLContext(seed: 0);
        try
        {
            var transformer = ml.Model.Load(path, out var inputSchema);
            return new MlNetModel(ml, transformer, inputSchema);
        }
        catch (Exception e) when (e is InvalidOperationException or FormatException or InvalidDataException or ArgumentException or IOException or NotSupportedException)
        {
            throw new EvaluationInputException($"The ML.NET zip cannot be loaded: {e.Message}", e);
        }
    }

    /// <summary>Writes the model as ONNX; throws whatever ML.NET throws for a pipeline it cannot export.</summary>
    public void ConvertToOnnx(Stream target) => _ml.Model.ConvertToOnnx(Transformer, BatchDataView.Empty(InputSchema), target);
}
