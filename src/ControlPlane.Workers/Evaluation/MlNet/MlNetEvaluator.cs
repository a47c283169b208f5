using System.Diagnostics;
using ControlPlane.Domain.Datasets.Reading;
using ControlPlane.Domain.Evaluations;
using ControlPlane.Workers.Evaluation.Engine;

namespace ControlPlane.Workers.Evaluation.MlNet;

/// <summary>
/// Scores an ML.NET model with ML.NET itself, for pipelines that have no usable ONNX export. The file streams through
/// in batches: the shared reader fills a batch, the transformer (built once over a <see cref="BatchDataView"/>)
/// scores it, and the predictions go to the sink as the same <see cref="PredictionBatch"/> the ONNX engine produces,
/// with labels matched by the same <see cref="TrueLabels"/>, so metrics are computed by the same code. Only one batch is
/// held at a time. ML.NET scores on the CPU, one batch after another: reading does not overlap scoring here.
/// </summary>
internal sealed class MlNetEvaluator
{
    public const string ExecutionProvider = "ML.NET (CPU)";

    public async Task<EvaluationRunInfo> RunAsync(EvaluationInput input, MlNetModel model, IPredictionSink sink, IProgress<double>? progress, CancellationToken ct)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(input.BatchSize, 1);
        if (input.Device == EvaluationDevice.Cuda)
            throw new EvaluationInputException("CUDA was requested, but this model is scored by ML.NET, which runs on the CPU only; request Auto or Cpu.");
        using var reader = await OnnxEvaluator.OpenAsync(input, ct);
        var layout = new BatchLayout(reader.ColumnNames);
        var inputs = MlNetInputs.Plan(model.InputSchema, layout);
        var outputs = model.Outputs;
        var labels = TrueLabels.Create(input, outputs.Kind, outputs.Classes, layout);
        int? slice = input.SliceColumn is { } column ? layout.Request(column, ColumnReadAs.Text) : null;

        var rows = new TabularBatch(layout.Requests, input.BatchSize);
        var view = new BatchDataView(model.InputSchema, inputs.Requests);
        var scores = new MlNetScores(model.Transformer.Transform(view), outputs);
        var batch = scores.CreateBatch(input.BatchSize);
        var (trueClasses, trueValues) = (new int[input.BatchSize], new double[input.BatchSize]);
        var latency = new LatencyStats(256);
        var started = Stopwatch.GetTimestamp();
        long total = 0;
        var reported = 0.0;
        while (await ReadAsync(reader, rows, ct))
        {
            ct.ThrowIfCancellationRequested();
            labels.Fill(rows, trueClasses, trueValues);
            inputs.CountMissing(rows);
            view.Rows = rows;
            batch.Start(rows.FirstRow, rows.Count, trueClasses, trueValues, slice is { } s ? rows.Texts(s) : null);
            var scoring = Stopwatch.GetTimestamp();
            Score(scores, batch);
            latency.Add(Stopwatch.GetElapsedTime(scoring));
            sink.OnBatch(batch);
            total += rows.Count;
            if (progress is not null && reader.Progress - reported >= 0.01)
                progress.Report(reported = reader.Progress);
        }
        Jobs.JobUsageScope.Current.AddRows(total);
        var seconds = Stopwatch.GetElapsedTime(started).TotalSeconds;
        progress?.Report(1);
        using var process = Process.GetCurrentProcess();
        return new EvaluationRunInfo(new ExecutionProvenance(ExecutionProvider, null, null, null, input.BatchSize, 0, 0),
            outputs.Kind, outputs.Classes, total, latency.Count, seconds > 0 ? total / seconds : 0,
            latency.Percentile(0.50), latency.Percentile(0.95), latency.Percentile(0.99),
            process.PeakWorkingSet64, inputs.Missing(), outputs.Warnings, latency.Sample(2_000));
    }

    private static async Task<bool> ReadAsync(ITabularReader reader, TabularBatch rows, CancellationToken ct)
    {
        try
        {
            return await reader.ReadAsync(rows, ct);
        }
        catch (DataFormatException e)
        {
            throw new EvaluationInputException($"The data file cannot be read: {e.Message}", e);
        }
    }

    private static void Score(MlNetScores scores, PredictionBatch batch)
    {
        try
        {
            scores.Read(batch);
        }
        catch (Exception e) when (e is InvalidOperationException or FormatException or ArgumentException)
        {
            var first = batch.FirstRow + 1;
            throw new EvaluationInputException($"ML.NET failed on data rows {first}–{first + batch.Count - 1}: {e.Message}", e);
        }
    }
}
