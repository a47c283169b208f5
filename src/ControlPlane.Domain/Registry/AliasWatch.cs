using ControlPlane.Domain.Persistence;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging;

namespace ControlPlane.Domain.Registry;

/// <summary>
/// Lets long-polling clients wait for an alias to move. One loop per watched alias reads its version every
/// <see cref="Interval"/> while anyone waits, however many wait, and wakes the waiters whose version differs.
/// A read of the database rather than an in-process signal, so a move made by another Web instance is seen too.
/// It only signals; callers read the alias again through <see cref="ModelAliases"/>, where authorization lives.
/// </summary>
public sealed class AliasWatch(IDbContextFactory<ControlPlaneDbContext> contexts, TimeProvider time, ILogger<AliasWatch> logger)
{
    public static readonly TimeSpan Interval = TimeSpan.FromMilliseconds(500);

    private readonly Lock _gate = new();
    private readonly Dictionary<(string Model, string Alias), List<Waiter>> _watched = [];

    /// <summary>True once the alias points at another version than <paramref name="versionId"/> (or none); false after <paramref name="wait"/>.</summary>
    public async Task<bool> WaitForMoveAsync(string model, string alias, Guid versionId, TimeSpan wait, CancellationToken ct)
    {
        var key = (model.Trim().ToUpperInvariant(), alias);
        var waiter = new Waiter(versionId);
        lock (_gate)
        {
            if (_watched.TryGetValue(key, out var waiters))
                waiters.Add(waiter);
            else
            {
                _watched[key] = [waiter];
                _ = Task.Run(() => WatchAsync(key));
            }
        }
        try
        {
            await waiter.Moved.Task.WaitAsync(wait, time, ct);
            return true;
        }
        catch (TimeoutException)
        {
            return false;
        }
        finally
        {
            lock (_gate)
                _watched[key].Remove(waiter);
        }
    }

    private async Task WatchAsync((string Model, string Alias) key)
    {
        while (true)
        {
            Waiter[] waiters;
            lock (_gate)
            {
                if (_watched[key].Count == 0)
                {
                    _watched.Remove(key);
                    return;
                }
                waiters = [.. _watched[key]];
            }
            try
            {
                var current = await ReadAsync(key);
                foreach (var w in waiters.Where(w => w.VersionId != current))
                    w.Moved.TrySetResult();
            }
            catch (Exception e) // a failed read (database busy) is retried on the next round; waiters time out meanwhile
            {
                logger.LogWarning(e, "Reading the alias {Model}@{Alias} for its watchers failed", key.Model, key.Alias);
            }
            await Task.Delay(Interval, time);
        }
    }

    private async Task<Guid?> ReadAsync((string Model, string Alias) key)
    {
        await using var db = await contexts.CreateDbContextAsync();
        return await db.Aliases.AsNoTracking().Where(a => a.Name == key.Alias && db.Models.Any(m => m.Id == a.ModelId && m.NormalizedName == key.Model))
            .Select(a => (Guid?)a.ModelVersionId).SingleOrDefaultAsync();
    }

    private sealed class Waiter(Guid versionId)
    {
        public Guid VersionId { get; } = versionId;
        public TaskCompletionSource Moved { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);
    }
}
