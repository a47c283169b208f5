using System.Text;
using ControlPlane.Domain.Datasets;
using ControlPlane.Domain.Evaluations;
using ControlPlane.TestModels;
using ControlPlane.Workers.Evaluation.Engine;

namespace ControlPlane.Workers.Tests.Evaluation.Engine;

[CollectionDefinition(nameof(AloneCollection), DisableParallelization = true)]
public sealed class AloneCollection;

/// <summary>Streaming, cancellation and failure of the read/infer pipeline on files big enough to need many batches.</summary>
[Collection(nameof(AloneCollection))]
public sealed class PipelineTests : IDisposable
{
    private const int Features = 20;
    private readonly EvaluationFiles _files = new("cp-eval-pipeline");
    private readonly OnnxEvaluator _evaluator = new();

    [Fact]
    public async Task A_200k_row_csv_is_evaluated_batch_by_batch_without_materializing_the_dataset()
    {
        const int rows = 200_000;
        var input = BigInput(rows, batchSize: 1024);
        var baseline = GC.GetTotalMemory(forceFullCollection: true);
        long largestLiveHeap = 0;
        var sink = new SummingSink(onBatch: count =>
        {
            if (count % 40 == 0)
                largestLiveHeap = Math.Max(largestLiveHeap, GC.GetTotalMemory(forceFullCollection: true));
        });

        var info = await _evaluator.RunAsync(input, sink, null, CancellationToken.None);

        Assert.Equal(rows, info.Rows);
        Assert.Equal((rows + 1023) / 1024, sink.Batches);
        Assert.Equal(1024, sink.LargestBatch);
        Assert.Equal(rows, sink.Rows);
        Assert.Equal(ExpectedSum(rows), sink.Sum, 1e-3 * rows);
        // The values alone would take 200k × 21 × 8 bytes = 34 MB as doubles; the run keeps a few batches alive.
        var growth = largestLiveHeap - baseline;
        Assert.True(growth < 8_000_000, $"The live heap grew by {growth:N0} bytes during the run.");
    }

    [Fact]
    public async Task Cancelling_stops_the_run_within_a_few_batches()
    {
        using var cts = new CancellationTokenSource();
        var input = BigInput(20_000, batchSize: 100);
        var sink = new SummingSink(onBatch: count => { if (count == 3) cts.Cancel(); });

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => _evaluator.RunAsync(input, sink, null, cts.Token));

        Assert.InRange(sink.Batches, 3, 4);
    }

    [Fact]
    public async Task A_failing_sink_stops_the_run_with_its_own_error()
    {
        var input = BigInput(20_000, batchSize: 100);
        var sink = new SummingSink(onBatch: count => { if (count == 2) throw new InvalidOperationException("sink full"); });

        var error = await Assert.ThrowsAsync<InvalidOperationException>(() => _evaluator.RunAsync(input, sink, null, CancellationToken.None));

        Assert.Equal("sink full", error.Message);
        Assert.Equal(2, sink.Batches);
    }

    [Fact]
    public async Task A_bad_row_deep_in_the_file_fails_the_run_as_an_input_error()
    {
        var rows = Enumerable.Range(0, 5000).Select(i => i == 4321 ? "1,2,3" : "1,2");
        IReadOnlyList<DatasetColumn> schema =
        [
            new(0, "x0", ColumnType.Numerical, ColumnType.Numerical, ColumnRole.Feature, 0),
            new(1, "y", ColumnType.Numerical, ColumnType.Numerical, ColumnRole.Label, 0),
        ];
        var input = new EvaluationInput(_files.Model(HandBuiltOnnx.LinearRegressor([1f], 0f), "short.onnx"), _files.Csv("x0,y", rows, "short.csv"),
            DatasetFormat.Csv, schema, "y") { BatchSize = 256, Device = EvaluationDevice.Cpu };

        var error = await Assert.ThrowsAsync<EvaluationInputException>(() => _evaluator.RunAsync(input, new CollectingSink(), null, CancellationToken.None));

        Assert.Contains("cannot be read", error.Message);
        Assert.Contains("Line 4323", error.Message);
    }

    private EvaluationInput BigInput(int rows, int batchSize)
    {
        var weights = Enumerable.Range(0, Features).Select(f => 1f / (f + 1)).ToArray();
        var model = _files.Model(HandBuiltOnnx.LinearRegressor(weights, 0f), $"big-{rows}.onnx");
        var header = string.Join(',', Enumerable.Range(0, Features).Select(f => $"x{f}")) + ",y";
        var data = _files.Csv(header, Enumerable.Range(0, rows).Select(Row), $"big-{rows}.csv");
        IReadOnlyList<DatasetColumn> schema = [.. header.Split(',').Select((name, i) =>
            new DatasetColumn(i, name, ColumnType.Numerical, ColumnType.Numerical, name == "y" ? ColumnRole.Label : ColumnRole.Feature, 0))];
        return new EvaluationInput(model, data, DatasetFormat.Csv, schema, "y") { BatchSize = batchSize, Device = EvaluationDevice.Cpu };
    }

    /// <summary>Row r has x_f = (r + f) mod 10 / 10, so its prediction is Σ_f x_f / (f + 1).</summary>
    private static string Row(int r)
    {
        var line = new StringBuilder();
        for (var f = 0; f < Features; f++)
            line.Append('0').Append('.').Append((r + f) % 10).Append(',');
        return line.Append(r % 7).ToString();
    }

    private static double ExpectedSum(int rows)
    {
        double sum = 0;
        for (var r = 0; r < rows; r++)
            for (var f = 0; f < Features; f++)
                sum += (r + f) % 10 / 10.0 / (f + 1);
        return sum;
    }

    public void Dispose() => _files.Dispose();

    /// <summary>Keeps counts and a running sum only, so the test measures the engine's allocations, not its own.</summary>
    private sealed class SummingSink(Action<int>? onBatch = null) : IPredictionSink
    {
        public int Batches { get; private set; }
        public long Rows { get; private set; }
        public int LargestBatch { get; private set; }
        public double Sum { get; private set; }

        public void OnBatch(PredictionBatch batch)
        {
            Batches++;
            Rows += batch.Count;
            LargestBatch = Math.Max(LargestBatch, batch.Count);
            foreach (var value in batch.PredictedValues)
                Sum += value;
            onBatch?.Invoke(Batches);
        }
    }
}
