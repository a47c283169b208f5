using ControlPlane.Domain.Registry;
using ControlPlane.Workers.Evaluation.Engine;
using ControlPlane.Workers.Evaluation.Importance;
using ControlPlane.Workers.Evaluation.MlNet;

namespace ControlPlane.Workers.Evaluation;

/// <summary>What scoring did, and for an ML.NET version the route it took, in words (null for an ONNX version).</summary>
public sealed record ScoredRun(EvaluationRunInfo Info, string? Route);

/// <summary>
/// Scores a model version by its flavor: an ONNX version on the ONNX engine; an ML.NET version through its ONNX export
/// when ML.NET can export the pipeline and ONNX Runtime loads the export (the engine's batching, GPU and speed), and
/// otherwise with ML.NET itself.
/// </summary>
public sealed class ModelScorer(OnnxExportCache exports)
{
    public const string ViaOnnxExport = "via ONNX export of the ML.NET model";

    public async Task<ScoredRun> RunAsync(ModelFlavor flavor, string artifactSha256, EvaluationInput input, IPredictionSink sink,
        IProgress<double>? progress, CancellationToken ct, ImportanceScoring? importance = null)
    {
        if (flavor != ModelFlavor.MlNet)
            return new ScoredRun(await new OnnxEvaluator().RunAsync(input, sink, progress, ct, importance), null);
        var model = await Task.Run(() => MlNetModel.Load(input.ModelPath), ct);
        var export = await Task.Run(() => exports.GetOrConvert(artifactSha256, model), ct);
        if (export.Path is { } onnx)
            return new ScoredRun(await new OnnxEvaluator().RunAsync(model.Outputs.ForOnnxExport(input, onnx), sink, progress, ct, importance), ViaOnnxExport);
        return new ScoredRun(await new MlNetEvaluator().RunAsync(input, model, sink, progress, ct), $"by ML.NET itself: {export.Failure}");
    }
}
