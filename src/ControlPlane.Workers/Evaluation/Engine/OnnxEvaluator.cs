using System.Diagnostics;
using ControlPlane.Domain.Datasets.Reading;
using ControlPlane.Domain.Registry;
using ControlPlane.Workers.Evaluation.Importance;
using ControlPlane.Workers.Inspection;
using Microsoft.ML.OnnxRuntime;

namespace ControlPlane.Workers.Evaluation.Engine;

/// <summary>
/// Runs an ONNX model over a dataset file and streams its predictions to a sink, batch by batch, never holding the
/// whole dataset. Bad input (model, columns, labels, file) throws <see cref="EvaluationInputException"/>; a required
/// but unusable GPU throws <see cref="CudaUnavailableException"/>; cancellation stops the current <c>Run</c> too.
/// </summary>
public sealed class OnnxEvaluator
{
    /// <param name="importance">When given, permutation importance is measured after scoring on the same session (see
    /// <see cref="PermutationImportance"/>); scoring then reports the first half of the progress and importance the rest.</param>
    public async Task<EvaluationRunInfo> RunAsync(EvaluationInput input, IPredictionSink sink, IProgress<double>? progress, CancellationToken ct,
        ImportanceScoring? importance = null)
    {
        ArgumentNullException.ThrowIfNull(sink);
        ArgumentOutOfRangeException.ThrowIfLessThan(input.BatchSize, 1);
        var scanned = ScanClasses(input.ModelPath); // also refuses an empty or unreadable file
        var modelClasses = input.Classes ?? scanned;
        var (session, provenance) = await Task.Run(() => SessionFactory.Open(input), ct);
        using (session)
        {
            // On the CPU, inference wants every core; parsing ahead on them too only slows it down.
            using var reader = await OpenAsync(input, ct, parseOnAllCores: provenance.ExecutionProvider != SessionFactory.CpuProvider);
            var layout = new BatchLayout(reader.ColumnNames);
            var inputs = InputPlan.Build(session.InputMetadata, Signature(session), input, layout);
            var outputs = OutputPlan.Detect(session.OutputMetadata, session.InputNames, input, modelClasses);
            var labels = TrueLabels.Create(input, outputs.Kind, outputs.Classes, layout);
            int? slice = input.SliceColumn is { } column ? layout.Request(column, ColumnReadAs.Text) : null;
            var requests = layout.Requests;
            var slots = new BatchSlot[EvaluationPipeline.SlotCount];
            try
            {
                for (var i = 0; i < slots.Length; i++)
                    slots[i] = new BatchSlot(requests, inputs, input.BatchSize);
                var pipeline = new EvaluationPipeline(session, reader, inputs, outputs, labels, slice, slots);
                await pipeline.RunAsync(sink, importance is null ? progress : ScaledProgress.Of(progress, 0, 0.5), ct);
                Jobs.JobUsageScope.Current.AddRows(pipeline.Rows);
                if (provenance.ExecutionProvider == SessionFactory.CudaProvider)
                    Jobs.JobUsageScope.Current.AddGpuTime(pipeline.Latency.Total);
                var info = RunInfo(provenance, outputs, inputs, pipeline, slots, [.. inputs.Warnings, .. outputs.Warnings]);
                if (importance is null)
                    return info;
                var measured = await new PermutationImportance(importance, session, inputs, outputs, labels, slots)
                    .ComputeAsync(input, requests, ScaledProgress.Of(progress, 0.5, 1), ct);
                return info with { Importance = measured };
            }
            finally
            {
                foreach (var slot in slots)
                    slot?.Dispose();
            }
        }
    }

    private static ClassLabels? ScanClasses(string modelPath)
    {
        if (new FileInfo(modelPath).Length == 0)
            throw new EvaluationInputException("The model file is empty.");
        try
        {
            return ModelClassScanner.Scan(modelPath);
        }
        catch (InvalidDataException e)
        {
            throw new EvaluationInputException($"The model file is not a readable ONNX model: {e.Message}", e);
        }
    }

    internal static async Task<ITabularReader> OpenAsync(EvaluationInput input, CancellationToken ct, bool parseOnAllCores = true)
    {
        try
        {
            return await TabularReader.OpenAsync(input.DataPath, input.Format, ReadLimits.Accepted, ct, parseOnAllCores);
        }
        catch (DataFormatException e)
        {
            throw new EvaluationInputException($"The data file cannot be read: {e.Message}", e);
        }
    }

    private static ModelSignature Signature(InferenceSession session) => new(
        [.. session.InputMetadata.Select(kv => ArtifactInspector.Describe(kv.Key, kv.Value))],
        [.. session.OutputMetadata.Select(kv => ArtifactInspector.Describe(kv.Key, kv.Value))]);

    private static EvaluationRunInfo RunInfo(ExecutionProvenance provenance, OutputPlan outputs, InputPlan inputs, EvaluationPipeline pipeline,
        BatchSlot[] slots, IReadOnlyList<string> warnings)
    {
        var missing = new Dictionary<string, long>(StringComparer.Ordinal);
        for (var b = 0; b < inputs.Bindings.Count; b++)
            for (var c = 0; c < inputs.Bindings[b].Width; c++)
            {
                var count = slots.Sum(s => s.Missing(b)[c]);
                if (count > 0)
                    missing[inputs.Bindings[b].Columns[c]] = count;
            }
        var seconds = pipeline.Elapsed.TotalSeconds;
        using var process = Process.GetCurrentProcess();
        return new EvaluationRunInfo(provenance, outputs.Kind, outputs.Classes, pipeline.Rows, pipeline.Latency.Count,
            seconds > 0 ? pipeline.Rows / seconds : 0,
            pipeline.Latency.Percentile(0.50), pipeline.Latency.Percentile(0.95), pipeline.Latency.Percentile(0.99),
            process.PeakWorkingSet64, missing, warnings, pipeline.Latency.Sample(2_000));
    }
}
