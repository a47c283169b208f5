using ControlPlane.Workers.Isolation;

namespace ControlPlane.Workers.Evaluation;

/// <summary>Bound from <c>ControlPlane:Evaluation</c>: what scoring one evaluation may take before it is stopped.</summary>
public sealed class EvaluationLimitOptions : ChildLimitOptions
{
    public const string Section = "ControlPlane:Evaluation";
}
