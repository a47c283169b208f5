using ControlPlane.Domain.Common;
using ControlPlane.Domain.Persistence;
using Microsoft.EntityFrameworkCore;

namespace ControlPlane.Domain.Training;

/// <summary>
/// The person a training run acts for: whoever started it by hand, or the spec's owner for a scheduled or
/// drift-triggered run. The job keeps its own authority but acts under that person's name and user id, so the version it
/// registers and the promotion it requests are theirs, and separation of duties keeps them from signing it.
/// </summary>
public static class TrainingRunActors
{
    public static async Task<Actor> ForRunAsync(ControlPlaneDbContext db, Guid runId, CancellationToken ct)
    {
        var run = await db.TrainingRuns.AsNoTracking().Include(r => r.Spec).SingleAsync(r => r.Id == runId, ct);
        var person = run.Trigger switch
        {
            TrainingTriggers.Manual or TrainingTriggers.Production => run.RequestedBy,
            TrainingTriggers.Schedule or TrainingTriggers.Drift => run.Spec!.Owner,
            _ => throw new InvalidOperationException($"Training run {run.Id} has the unknown trigger '{run.Trigger}'."),
        };
        var normalized = person.ToUpperInvariant();
        var userId = await db.Users.Where(u => u.NormalizedUserName == normalized).Select(u => u.Id).SingleOrDefaultAsync(ct);
        return Actor.System(person) with { UserId = userId };
    }
}
