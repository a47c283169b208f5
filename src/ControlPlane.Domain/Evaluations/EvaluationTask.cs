namespace ControlPlane.Domain.Evaluations;

public enum EvaluationTask
{
    Binary,
    Multiclass,
    Regression,
}
