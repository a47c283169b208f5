using System.Diagnostics;
using System.Threading.Channels;
using ControlPlane.Domain.Datasets.Reading;
using Microsoft.ML.OnnxRuntime;

namespace ControlPlane.Workers.Evaluation.Engine;

/// <summary>
/// Streams the file through the model: a reading task parses and packs the next batches into free slots while the
/// inference loop runs the current one, so parsing and inference overlap and only <see cref="SlotCount"/> batches are
/// ever in memory. Steady-state batches allocate almost nothing: slots, input tensors and output buffers are reused.
/// </summary>
internal sealed class EvaluationPipeline(
    InferenceSession session, ITabularReader reader, InputPlan inputs, OutputPlan outputs, TrueLabels labels, int? sliceRequest, BatchSlot[] slots)
{
    public const int SlotCount = 3;

    private readonly string[] _inputNames = inputs.InputNames;
    private readonly string[] _outputNames = outputs.OutputNames;
    private readonly OutputDecoder _decoder = new(outputs, session.OutputMetadata);

    public long Rows { get; private set; }
    public LatencyStats Latency { get; } = new(256);
    public TimeSpan Elapsed { get; private set; }

    public async Task RunAsync(IPredictionSink sink, IProgress<double>? progress, CancellationToken ct)
    {
        var started = Stopwatch.GetTimestamp();
        var options = new BoundedChannelOptions(SlotCount) { SingleReader = true, SingleWriter = true };
        var free = Channel.CreateBounded<BatchSlot>(options);
        var ready = Channel.CreateBounded<BatchSlot>(options);
        foreach (var slot in slots)
            free.Writer.TryWrite(slot);
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(ct);
        var producer = Task.Run(() => ProduceAsync(free.Reader, ready.Writer, stop.Token), CancellationToken.None);
        try
        {
            await ConsumeAsync(ready.Reader, free.Writer, sink, progress, ct);
        }
        catch
        {
            await stop.CancelAsync();
            free.Writer.TryComplete();
            try { await producer; }
            catch (Exception) { /* the consumer's failure is the one to report */ }
            throw;
        }
        await producer;
        Elapsed = Stopwatch.GetElapsedTime(started);
        progress?.Report(1);
    }

    private async Task ProduceAsync(ChannelReader<BatchSlot> free, ChannelWriter<BatchSlot> ready, CancellationToken ct)
    {
        try
        {
            // Waits take no token (a cancellable wait allocates each time); the consumer completes `free` when it stops.
            while (await free.WaitToReadAsync())
            {
                if (!free.TryRead(out var slot))
                    continue;
                if (!await reader.ReadAsync(slot.Rows, ct))
                    return;
                slot.Pack(labels);
                slot.Progress = reader.Progress;
                ready.TryWrite(slot);
            }
        }
        catch (DataFormatException e)
        {
            throw new EvaluationInputException($"The data file cannot be read: {e.Message}", e);
        }
        finally
        {
            ready.TryComplete();
        }
    }

    private async Task ConsumeAsync(ChannelReader<BatchSlot> ready, ChannelWriter<BatchSlot> free, IPredictionSink sink, IProgress<double>? progress, CancellationToken ct)
    {
        using var runOptions = new RunOptions();
        using var terminate = ct.Register(() => runOptions.Terminate = true);
        var batch = new PredictionBatch(outputs.Kind, outputs.Classes, outputs.HasProbabilities, scoresAreProbabilities: outputs.Value is null, slots[0].Rows.Capacity);
        var reported = 0.0;
        while (await ready.WaitToReadAsync())
        {
            while (ready.TryRead(out var slot))
            {
                ct.ThrowIfCancellationRequested();
                var rows = slot.Rows;
                var started = Stopwatch.GetTimestamp();
                using (var results = Run(runOptions, slot, ct))
                {
                    Latency.Add(Stopwatch.GetElapsedTime(started));
                    batch.Start(rows.FirstRow, rows.Count, slot.TrueClasses, slot.TrueValues, sliceRequest is { } s ? rows.Texts(s) : null);
                    _decoder.Decode(results, batch);
                }
                sink.OnBatch(batch);
                Rows += rows.Count;
                if (progress is not null && slot.Progress - reported >= 0.01)
                    progress.Report(reported = slot.Progress);
                free.TryWrite(slot);
            }
        }
    }

    private IDisposableReadOnlyCollection<OrtValue> Run(RunOptions runOptions, BatchSlot slot, CancellationToken ct)
    {
        try
        {
            return session.Run(runOptions, _inputNames, slot.Values, _outputNames);
        }
        catch (OnnxRuntimeException) when (ct.IsCancellationRequested)
        {
            throw new OperationCanceledException(ct);
        }
        catch (OnnxRuntimeException e)
        {
            var first = slot.Rows.FirstRow + 1;
            throw new EvaluationInputException($"ONNX Runtime failed on data rows {first}–{first + slot.Rows.Count - 1}: {e.Message}", e);
        }
    }
}
