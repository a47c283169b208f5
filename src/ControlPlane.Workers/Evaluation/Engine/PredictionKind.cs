namespace ControlPlane.Workers.Evaluation.Engine;

public enum PredictionKind
{
    Classification,
    Regression,
}
