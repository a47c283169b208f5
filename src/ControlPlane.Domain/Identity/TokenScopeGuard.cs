using ControlPlane.Domain.Audit;
using ControlPlane.Domain.Common;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Diagnostics;

namespace ControlPlane.Domain.Identity;

/// <summary>
/// Enforces a token's limits where every call passes, whichever service or endpoint it came through. The host sets the
/// acting token for the request; then a save that adds, changes or removes anything but audit events is refused
/// without the <see cref="TokenScopes.Write"/> scope, and every lookup of a model by name
/// (<see cref="RequireModel"/>) is refused for a model outside the token's list.
/// </summary>
public sealed class TokenScopeGuard : SaveChangesInterceptor
{
    public static TokenScopeGuard Instance { get; } = new();

    private static readonly AsyncLocal<Actor?> Current = new();

    /// <summary>The actor whose token limits apply in this call flow until disposal (a session or a job has none).</summary>
    public static IDisposable Use(Actor actor)
    {
        var previous = Current.Value;
        Current.Value = actor;
        return new Restore(previous);
    }

    public static void RequireModel(string model) => Current.Value?.RequireModel(model);

    public override InterceptionResult<int> SavingChanges(DbContextEventData eventData, InterceptionResult<int> result)
    {
        CheckAsync(eventData.Context, default).GetAwaiter().GetResult();
        return result;
    }

    public override async ValueTask<InterceptionResult<int>> SavingChangesAsync(DbContextEventData eventData, InterceptionResult<int> result, CancellationToken cancellationToken = default)
    {
        await CheckAsync(eventData.Context, cancellationToken);
        return result;
    }

    private static async Task CheckAsync(DbContext? context, CancellationToken ct)
    {
        if (context is null || Current.Value is not { Scopes: { } scopes } actor)
            return;
        var changes = context.ChangeTracker.Entries().Any(e => e.State is EntityState.Added or EntityState.Modified or EntityState.Deleted && e.Entity is not AuditEvent);
        if (!changes)
            return;
        // Ingest writes only the index rows of the telemetry files it stored: the ingest scope covers those, not the write scope.
        var needed = IngestOnly(context) ? TokenScopes.Ingest : TokenScopes.Write;
        if (!scopes.HasFlag(needed) && needed == TokenScopes.Ingest)
            throw new ForbiddenException($"This token may not send telemetry: it lacks the ingest scope (it has {string.Join(", ", TokenScopeNames.Of(scopes))}).");
        if (!scopes.HasFlag(needed))
            throw new ForbiddenException($"This token may not change anything: it lacks the write scope (it has {string.Join(", ", TokenScopeNames.Of(scopes))}).");
        if (actor.Models is { } models && await TokenModelWrites.RefusalAsync(context, models, ct) is { } what)
            throw new ForbiddenException($"This token is limited to the models {string.Join(", ", models.Order(StringComparer.Ordinal))}; this would change {what}.");
    }

    private static bool IngestOnly(DbContext context) =>
        context.ChangeTracker.Entries().Where(e => e.State is EntityState.Added or EntityState.Modified or EntityState.Deleted && e.Entity is not AuditEvent)
            .All(e => e is { State: EntityState.Added, Entity: Production.TelemetrySegment });

    private sealed class Restore(Actor? previous) : IDisposable
    {
        public void Dispose() => Current.Value = previous;
    }
}
