using ControlPlane.Domain.Common;
using ControlPlane.Domain.Training;

namespace ControlPlane.Workers.Training;

/// <summary>A fit was stopped by a limit (time or memory): the run ends with <see cref="Status"/>, and retrying would not help.</summary>
public sealed class TrainingStoppedException(TrainingRunStatus status, string message)
    : DomainException("The training was stopped.", message)
{
    public TrainingRunStatus Status { get; } = status;
}
