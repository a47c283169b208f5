using ControlPlane.Domain.Datasets;
using ControlPlane.Domain.Evaluations;

namespace ControlPlane.Workers.Evaluation.Engine;

/// <summary>
/// One evaluation: an ONNX model over a dataset file whose columns are described by <see cref="Schema"/>.
/// Output names are detected unless given (see <see cref="OutputPlan"/>); a thread count of 0 lets ONNX Runtime choose.
/// </summary>
public sealed record EvaluationInput(string ModelPath, string DataPath, DatasetFormat Format, IReadOnlyList<DatasetColumn> Schema, string LabelColumn)
{
    /// <summary>Columns packed, in this order, into a model that takes one feature vector; null means the Feature-role columns in schema order.</summary>
    public IReadOnlyList<string>? Features { get; init; }

    /// <summary>A column whose values travel with each prediction so metrics can be split by it.</summary>
    public string? SliceColumn { get; init; }

    public EvaluationDevice Device { get; init; } = EvaluationDevice.Auto;
    public int BatchSize { get; init; } = 1024;

    /// <summary>The output holding class probabilities (a tensor or a ZipMap sequence of maps).</summary>
    public string? ProbabilityOutput { get; init; }

    /// <summary>The output holding predicted class labels.</summary>
    public string? LabelOutput { get; init; }

    /// <summary>The output holding a regression value, or a binary classifier's raw score when it has no probabilities.</summary>
    public string? ValueOutput { get; init; }

    /// <summary>The model's classes in probability order, for models that do not name them in the ONNX file (ML.NET exports).</summary>
    public ClassLabels? Classes { get; init; }

    public int IntraOpThreads { get; init; }
    public int InterOpThreads { get; init; }
}
