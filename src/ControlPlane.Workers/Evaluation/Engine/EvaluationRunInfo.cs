namespace ControlPlane.Workers.Evaluation.Engine;

/// <summary>
/// What a finished run did: where it ran, how many rows, how fast (rows/s over the whole run; latency percentiles of
/// each batch's <c>Run</c> call, in milliseconds), the process's peak working set, and the missing feature values fed
/// to the model as NaN, per column; up to 2,000 batch latencies for a histogram.
/// </summary>
public sealed record EvaluationRunInfo(
    ExecutionProvenance Provenance,
    PredictionKind Kind,
    ClassLabels? Classes,
    long Rows,
    int Batches,
    double RowsPerSecond,
    double LatencyP50Ms,
    double LatencyP95Ms,
    double LatencyP99Ms,
    long PeakWorkingSetBytes,
    IReadOnlyDictionary<string, long> MissingFeatureValues,
    IReadOnlyList<string> Warnings,
    IReadOnlyList<double> BatchLatencySampleMs)
{
    /// <summary>Permutation importance, when it was asked for and the ONNX engine scored.</summary>
    public Importance.ImportanceReport? Importance { get; init; }
}
