namespace ControlPlane.Workers.Evaluation.Engine;

/// <summary>
/// Receives predictions batch by batch, in row order, on the evaluation's inference thread. The batch and its spans
/// are reused for the next batch: copy or aggregate what must outlive the call. Throwing stops the run.
/// </summary>
public interface IPredictionSink
{
    void OnBatch(PredictionBatch batch);
}
