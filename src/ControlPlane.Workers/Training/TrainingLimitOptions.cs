using ControlPlane.Workers.Isolation;

namespace ControlPlane.Workers.Training;

/// <summary>Bound from <c>ControlPlane:Training</c>: what one fit may take; past the time limit its run ends TimedOut.</summary>
public sealed class TrainingLimitOptions : ChildLimitOptions
{
    public const string Section = "ControlPlane:Training";
}
