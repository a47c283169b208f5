using System.Runtime.CompilerServices;
using ControlPlane.Domain.Persistence;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Diagnostics;
using Microsoft.EntityFrameworkCore.Storage;

namespace ControlPlane.Domain.Audit;

/// <summary>
/// Turns every SaveChanges of audited entities into one audit event, written in the same transaction:
/// takes the chain-head lock, numbers the event after the current head and hashes it onto the chain.
/// Explicitly added <see cref="AuditEvent"/>s (sign-ins, downloads, job runs) are chained the same way.
/// With a key ring each event also gets a MAC under the active chain key; when the key differs from the head's,
/// an <c>audit.key_rotated</c> event is chained first, so every change of key is on the record.
/// </summary>
public sealed class AuditInterceptor(TimeProvider time, AuditKeyRing? keys = null) : SaveChangesInterceptor
{
    private readonly ConditionalWeakTable<DbContext, IDbContextTransaction> _ownTransactions = new();

    private sealed record ChainHead(long Sequence, string Hash, string? KeyId);

    // Compiled per interceptor (one interceptor per configured provider, and a compiled query is bound to one
    // model): this query runs inside every audited save, under the head lock.
    private readonly Func<ControlPlaneDbContext, CancellationToken, Task<ChainHead?>> _head =
        EF.CompileAsyncQuery((ControlPlaneDbContext db, CancellationToken ct) =>
            db.AuditEvents.AsNoTracking().OrderByDescending(e => e.Sequence).Select(e => new ChainHead(e.Sequence, e.Hash, e.KeyId)).FirstOrDefault());

    public override InterceptionResult<int> SavingChanges(DbContextEventData eventData, InterceptionResult<int> result) =>
        eventData.Context is ControlPlaneDbContext db && Collect(db).Count > 0
            ? throw new NotSupportedException("Audited changes must be saved with SaveChangesAsync: audit capture takes a database lock.")
            : result;

    public override async ValueTask<InterceptionResult<int>> SavingChangesAsync(
        DbContextEventData eventData, InterceptionResult<int> result, CancellationToken cancellationToken = default)
    {
        if (eventData.Context is not ControlPlaneDbContext db)
            return result;
        var pending = Collect(db);
        if (pending.Count == 0)
            return result;

        if (db.Database.CurrentTransaction is null)
        {
            _ownTransactions.AddOrUpdate(db, await db.Database.BeginTransactionAsync(cancellationToken));
            // The transaction exists only for this save: EF's savepoint round trips would protect nothing.
            db.Database.AutoSavepointsEnabled = false;
        }
        await AuditHeadLock.AcquireAsync(db, cancellationToken);
        var head = await _head(db, cancellationToken);
        var (sequence, previous) = head is null ? (0L, AuditChain.GenesisHash) : (head.Sequence, head.Hash);
        var rotation = keys is not null && head?.KeyId != keys.ActiveKeyId && pending[0].Action != AuditActions.AuditKeyRotated
            ? RotationEvent(head?.KeyId) : null;
        if (rotation is not null)
            pending.Insert(0, rotation);
        foreach (var e in pending)
        {
            e.Sequence = ++sequence;
            e.PreviousHash = previous;
            e.KeyId = keys?.ActiveKeyId;
            e.Hash = previous = AuditChain.ComputeHash(e);
            e.Mac = keys?.Mac(e.Hash);
        }
        if (rotation is not null)
            db.AuditEvents.Add(rotation); // once numbered: two new events may not share the unnumbered key 0

        return result;
    }

    public override async ValueTask<int> SavedChangesAsync(SaveChangesCompletedEventData eventData, int result, CancellationToken cancellationToken = default)
    {
        if (eventData.Context is not null && _ownTransactions.TryGetValue(eventData.Context, out var tx))
        {
            _ownTransactions.Remove(eventData.Context);
            eventData.Context.Database.AutoSavepointsEnabled = true;
            await tx.CommitAsync(cancellationToken);
            await tx.DisposeAsync();
        }
        return result;
    }

    public override async Task SaveChangesFailedAsync(DbContextErrorEventData eventData, CancellationToken cancellationToken = default) =>
        await AbandonAsync(eventData.Context);

    public override async Task SaveChangesCanceledAsync(DbContextEventData eventData, CancellationToken cancellationToken = default) =>
        await AbandonAsync(eventData.Context);

    private async Task AbandonAsync(DbContext? context)
    {
        if (context is null)
            return;
        if (_ownTransactions.TryGetValue(context, out var tx))
        {
            _ownTransactions.Remove(context);
            context.Database.AutoSavepointsEnabled = true;
            await tx.DisposeAsync(); // rolls back
        }
        // A retried SaveChanges must not carry this attempt's events.
        foreach (var entry in context.ChangeTracker.Entries<AuditEvent>().Where(e => e.State == EntityState.Added).ToList())
            entry.State = EntityState.Detached;
    }

    private AuditEvent RotationEvent(string? from) =>
        AuditOrigin.NewEvent(AuditOrigin.System, AuditClock.UtcNow(time), AuditActions.AuditKeyRotated, "auditKey", keys!.ActiveKeyId, "[]",
            AuditKeyRotation.Reason(from, keys.ActiveKeyId));

    private List<AuditEvent> Collect(ControlPlaneDbContext db)
    {
        db.ChangeTracker.DetectChanges();
        var explicitEvents = db.ChangeTracker.Entries<AuditEvent>()
            .Where(e => e.State == EntityState.Added).Select(e => e.Entity).ToList();
        var changed = db.ChangeTracker.Entries()
            .Where(e => (e.State is EntityState.Added or EntityState.Modified or EntityState.Deleted) && AuditedEntities.IsAudited(e.Metadata.ClrType))
            .Select(e => (Entry: e, Changes: AuditedEntities.ChangesOf(e).ToList()))
            .Where(x => x.Changes.Count > 0)
            .ToList();
        if (changed.Count > 0)
        {
            var origin = AuditAmbient.Origin;
            var action = AuditAmbient.Action;
            var root = changed[0].Entry;
            var verb = root.State switch { EntityState.Added => "created", EntityState.Deleted => "deleted", _ => "updated" };
            var change = AuditOrigin.NewEvent(origin, AuditClock.UtcNow(time),
                action?.Name ?? $"{AuditedEntities.NameOf(root.Metadata.ClrType)}.{verb}",
                action?.EntityType ?? AuditedEntities.NameOf(root.Metadata.ClrType),
                action?.EntityId ?? AuditedEntities.KeyOf(root),
                AuditChange.ToJson(changed.SelectMany(x => x.Changes)),
                action?.Reason);
            db.AuditEvents.Add(change);
            explicitEvents.Insert(0, change);
        }
        return explicitEvents;
    }
}
