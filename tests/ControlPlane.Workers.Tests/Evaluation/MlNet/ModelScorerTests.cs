using ControlPlane.Domain.Evaluations;
using ControlPlane.Domain.Registry;
using ControlPlane.TestModels;
using ControlPlane.TestSupport;
using ControlPlane.Workers.Evaluation;
using ControlPlane.Workers.Evaluation.Engine;
using ControlPlane.Workers.Evaluation.MlNet;
using ControlPlane.Workers.Tests.Evaluation.Engine;

namespace ControlPlane.Workers.Tests.Evaluation.MlNet;

/// <summary>ML.NET versions run on their ONNX export when there is a usable one, converted once, and on ML.NET otherwise.</summary>
public sealed class ModelScorerTests : IDisposable
{
    private const double Tolerance = 1e-5;
    private readonly EvaluationFiles _files = new("cp-eval-mlnet");
    private readonly TempDirectory _cache = new("cp-onnx-cache");
    private readonly ModelScorer _scorer;

    public ModelScorerTests() => _scorer = new ModelScorer(new OnnxExportCache(_cache.Path));

    [Fact]
    public async Task An_exportable_pipeline_runs_on_its_onnx_export_converted_once_and_matches_ml_net()
    {
        var (zip, _) = MlNetModels.TrainBinaryClassifierOnColumns();
        var rows = MlNetModels.ColumnsRows(90, seed: 23);
        var input = await MlNetFiles.InputAsync(_files, zip, MlNetFiles.ColumnsCsv(_files, rows), batchSize: 32);
        var sink = new CollectingSink();

        var run = await _scorer.RunAsync(ModelFlavor.MlNet, MlNetFiles.Sha256(zip), input, sink, null, CancellationToken.None);

        Assert.Equal(ModelScorer.ViaOnnxExport, run.Route);
        Assert.Equal("CPUExecutionProvider", run.Info.Provenance.ExecutionProvider);
        var expected = MlNetFiles.Predict<MlNetModels.ColumnsRow, BinaryScored>(zip, rows);
        for (var row = 0; row < rows.Count; row++)
        {
            Assert.Equal(expected[row].Probability, sink.PositiveScores[row], Tolerance);
            Assert.Equal(expected[row].PredictedLabel ? 1 : 0, sink.PredictedClasses[row]);
            Assert.Equal(rows[row].Label ? 1 : 0, sink.TrueClasses[row]);
        }
        var export = Assert.Single(Directory.GetFiles(_cache.Path));
        Assert.StartsWith(MlNetFiles.Sha256(zip), Path.GetFileName(export));
        var written = File.GetLastWriteTimeUtc(export);

        var again = await _scorer.RunAsync(ModelFlavor.MlNet, MlNetFiles.Sha256(zip), input, new CollectingSink(), null, CancellationToken.None);

        Assert.Equal(ModelScorer.ViaOnnxExport, again.Route);
        Assert.Equal(export, Assert.Single(Directory.GetFiles(_cache.Path)));
        Assert.Equal(written, File.GetLastWriteTimeUtc(export));
    }

    [Fact]
    public async Task A_text_featurizer_cannot_be_exported_so_ml_net_scores_it_with_its_own_probabilities()
    {
        var zip = MlNetModels.TrainTextClassifier();
        var rows = MlNetModels.NoteRows(70, seed: 29);
        var input = await MlNetFiles.InputAsync(_files, zip, MlNetFiles.NotesCsv(_files, rows), batchSize: 16);
        var sink = new CollectingSink();

        var run = await _scorer.RunAsync(ModelFlavor.MlNet, MlNetFiles.Sha256(zip), input, sink, null, CancellationToken.None);

        Assert.StartsWith("by ML.NET itself: ML.NET cannot export the pipeline to ONNX", run.Route);
        Assert.Equal("ML.NET (CPU)", run.Info.Provenance.ExecutionProvider);
        Assert.Null(run.Info.Provenance.OnnxRuntimeVersion);
        Assert.Equal((70L, 5), (run.Info.Rows, run.Info.Batches));
        Assert.Empty(Directory.GetFiles(_cache.Path));
        var expected = MlNetFiles.Predict<MlNetModels.NoteRow, BinaryScored>(zip, rows);
        Assert.Equal(expected.Select(e => e.Probability), sink.PositiveScores);
        Assert.Equal(expected.Select(e => new[] { 1 - e.Probability, e.Probability }), sink.Probabilities);
        Assert.Equal(expected.Select(e => e.PredictedLabel ? 1 : 0), sink.PredictedClasses);
        Assert.Equal(rows.Select(r => r.Label ? 1 : 0), sink.TrueClasses);
        Assert.Equal(["0", "1"], sink.Classes!.Names);
    }

    [Fact]
    public async Task An_export_that_onnx_runtime_refuses_falls_back_to_ml_net()
    {
        var zip = MlNetModels.TrainPcaClassifier();
        var rows = MlNetModels.ColumnsRows(40, seed: 31);
        var input = await MlNetFiles.InputAsync(_files, zip, MlNetFiles.ColumnsCsv(_files, rows));
        var sink = new CollectingSink();

        var run = await _scorer.RunAsync(ModelFlavor.MlNet, MlNetFiles.Sha256(zip), input, sink, null, CancellationToken.None);

        Assert.StartsWith("by ML.NET itself: ONNX Runtime cannot load ML.NET's export", run.Route);
        Assert.Empty(Directory.GetFiles(_cache.Path));
        var expected = MlNetFiles.Predict<MlNetModels.ColumnsRow, BinaryScored>(zip, rows);
        Assert.Equal(expected.Select(e => e.Probability), sink.PositiveScores);
    }

    [Fact]
    public async Task Cuda_cannot_be_required_of_a_model_only_ml_net_can_score()
    {
        var zip = MlNetModels.TrainTextClassifier();
        var input = await MlNetFiles.InputAsync(_files, zip, MlNetFiles.NotesCsv(_files, MlNetModels.NoteRows(5)));

        var error = await Assert.ThrowsAsync<EvaluationInputException>(() => _scorer.RunAsync(ModelFlavor.MlNet, MlNetFiles.Sha256(zip),
            input with { Device = EvaluationDevice.Cuda }, new CollectingSink(), null, CancellationToken.None));

        Assert.Contains("CPU only", error.Message);
    }

    public void Dispose()
    {
        _files.Dispose();
        _cache.Dispose();
    }
}
