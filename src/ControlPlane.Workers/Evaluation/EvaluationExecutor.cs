namespace ControlPlane.Workers.Evaluation;

/// <summary>Placeholder until the engine and metrics land (same session).</summary>
public sealed class EvaluationExecutor
{
    public Task<EvaluationOutcome> ExecuteAsync(Guid evaluationId, CancellationToken ct) => throw new NotSupportedException("pending");
}

public sealed class EvaluationInputException(string message) : Exception(message);
