using ControlPlane.Domain.Training;

namespace ControlPlane.Workers.Jobs;

/// <summary>The recurring job of a training spec (id <c>training-spec:{id}</c>): queues a run unless the spec was disabled.</summary>
public sealed class TrainingScheduleJob(TrainingService training)
{
    public static string RecurringId(Guid specId) => $"training-spec:{specId}";

    public Task RunAsync(Guid specId, CancellationToken ct) => training.RunScheduledAsync(specId, ct);
}
