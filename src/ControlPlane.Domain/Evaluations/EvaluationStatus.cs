namespace ControlPlane.Domain.Evaluations;

public enum EvaluationStatus
{
    Queued,
    Running,
    Succeeded,
    Failed,
}
