using System.Globalization;
using System.Text.Json;
using ControlPlane.Domain.Datasets;
using ControlPlane.Domain.Evaluations;
using ControlPlane.Domain.Registry;
using ControlPlane.TestModels;
using ControlPlane.TestSupport;
using ControlPlane.Workers.Evaluation;
using ControlPlane.Workers.Evaluation.Engine;
using Microsoft.Extensions.Options;

namespace ControlPlane.Workers.Tests.Evaluation;

/// <summary>Scoring in its own process: the outcome comes back whole, and a model past the memory limit is stopped there.</summary>
public sealed class IsolatedScorerTests : IDisposable
{
    private readonly TempDirectory _dir = new("cp-isolated-scorer");

    private ScoreRequest Request(byte[] model, int rows, Func<int, double> label)
    {
        var modelPath = _dir.File("model.onnx");
        File.WriteAllBytes(modelPath, model);
        var dataPath = _dir.File("data.csv");
        File.WriteAllLines(dataPath, ["x,y", .. Enumerable.Range(1, rows).Select(i => string.Create(CultureInfo.InvariantCulture, $"{i},{label(i)}"))]);
        var schema = new List<DatasetColumn>
        {
            new(0, "x", ColumnType.Numerical, ColumnType.Numerical, ColumnRole.Feature, 0),
            new(1, "y", ColumnType.Numerical, ColumnType.Numerical, ColumnRole.Label, 0),
        };
        var input = new EvaluationInput(modelPath, dataPath, DatasetFormat.Csv, schema, "y") { Device = EvaluationDevice.Cpu };
        return new ScoreRequest(ModelFlavor.Onnx, new string('0', 64), input, EvaluationTask.Regression, 0.5, _dir.File("exports"));
    }

    private static IsolatedScorer Scorer(int maxMemoryMegabytes = 0) => new(Options.Create(new EvaluationLimitOptions { MaxMemoryMegabytes = maxMemoryMegabytes }));

    [Fact]
    public async Task A_model_is_scored_in_a_child_process_and_its_outcome_comes_back_with_hand_worked_metrics()
    {
        // Y = X; labels y = 2x for x = 1..4: errors 1, 2, 3, 4.
        var progress = new List<double>();
        var outcome = await Scorer().ScoreAsync(Request(HandBuiltOnnx.MemoryBomb(widening: 1), 4, x => 2 * x), new SyncProgress(progress.Add), CancellationToken.None);

        Assert.Equal(EvaluationTask.Regression, outcome.Task);
        var metrics = JsonSerializer.Deserialize<Dictionary<string, double>>(outcome.MetricsJson)!;
        Assert.Equal(2.5, metrics["mae"], 1e-9);
        Assert.Equal(Math.Sqrt(30.0 / 4), metrics["rmse"], 1e-9);
        using var provenance = JsonDocument.Parse(outcome.ProvenanceJson);
        Assert.Equal(4, provenance.RootElement.GetProperty("rows").GetInt64());
        Assert.True(provenance.RootElement.GetProperty("peakMemoryMiB").GetInt64() > 0);
        Assert.NotEmpty(progress);
    }

    [Fact]
    public async Task A_model_that_needs_more_memory_than_the_limit_is_stopped_and_the_evaluation_fails_saying_so()
    {
        // Each batch of 1,024 rows asks for 1,024 × 100,000 floats: 410 MB.
        var request = Request(HandBuiltOnnx.MemoryBomb(widening: 100_000), 4_096, x => x);

        var error = await Assert.ThrowsAsync<EvaluationInputException>(() => Scorer(maxMemoryMegabytes: 300).ScoreAsync(request, null, CancellationToken.None));

        Assert.Equal("The model needed more than 300 MB of memory, the limit (ControlPlane:Evaluation:MaxMemoryMegabytes); the evaluation was stopped.", error.Message);
    }

    [Fact]
    public async Task A_model_ONNX_Runtime_refuses_fails_as_bad_input_with_its_reason()
    {
        var request = Request("not an onnx model"u8.ToArray(), 4, x => x);

        var error = await Assert.ThrowsAsync<EvaluationInputException>(() => Scorer().ScoreAsync(request, null, CancellationToken.None));

        Assert.False(string.IsNullOrWhiteSpace(error.Message));
    }

    public void Dispose() => _dir.Dispose();

    private sealed class SyncProgress(Action<double> report) : IProgress<double>
    {
        public void Report(double value) => report(value);
    }
}
