using Microsoft.ML;

namespace ControlPlane.Workers.Training;

/// <summary>A fitted pipeline with its validation figures; saves itself as an ML.NET zip and exports to ONNX.</summary>
public sealed class TrainedModel
{
    private readonly MLContext _ml;

    internal TrainedModel(MLContext ml, ITransformer transformer, DataViewSchema inputSchema, IReadOnlyDictionary<string, double> metrics,
        long trainingRows, long validationRows, long skippedRows, TimeSpan loading, TimeSpan training)
    {
        _ml = ml;
        Transformer = transformer;
        InputSchema = inputSchema;
        Metrics = metrics;
        TrainingRows = trainingRows;
        ValidationRows = validationRows;
        SkippedRows = skippedRows;
        Loading = loading;
        Training = training;
    }

    public ITransformer Transformer { get; }
    /// <summary>The feature columns the model reads, by their dataset names (no label).</summary>
    public DataViewSchema InputSchema { get; }
    public IReadOnlyDictionary<string, double> Metrics { get; }
    public long TrainingRows { get; }
    public long ValidationRows { get; }
    /// <summary>Rows left out because their label was missing.</summary>
    public long SkippedRows { get; }
    public TimeSpan Loading { get; }
    public TimeSpan Training { get; }

    public void SaveZip(Stream target) => _ml.Model.Save(Transformer, InputSchema, target);
}
