using ControlPlane.Domain.Audit;
using ControlPlane.Domain.Common;
using ControlPlane.Domain.Identity;
using ControlPlane.Domain.Jobs;
using ControlPlane.Domain.Persistence;
using ControlPlane.Domain.Registry;
using ControlPlane.Domain.Webhooks;
using Microsoft.EntityFrameworkCore;

namespace ControlPlane.Domain.Production;

/// <summary>
/// Serving apps report a version they could not load (the old one keeps serving, so nothing else would show it).
/// Each report is an audit event on the version, a notification and a <c>serving.load_failed</c> webhook; the same
/// instance repeating itself with back-off is kept once per <see cref="Quiet"/> period.
/// </summary>
public sealed class LoadFailureReports(IDbContextFactory<ControlPlaneDbContext> contexts, IActorContext actor, IJobScheduler jobs, TimeProvider time)
{
    public static readonly TimeSpan Quiet = TimeSpan.FromHours(1);
    public const int MaxErrorLength = 1_000, MaxHostLength = 253, MaxAliasLength = 100;

    public async Task<LoadFailureReceipt> ReportAsync(string model, int version, LoadFailureReport report, CancellationToken ct = default)
    {
        var current = actor.Current;
        TelemetrySenders.Authorize(current, model);
        var (alias, error, host) = Check(report);
        await using var db = await contexts.CreateDbContextAsync(ct);
        var registered = await ModelRegistry.FindModelAsync(db.Models.AsNoTracking(), model, ct);
        await TelemetrySenders.RequireOwnerOrAdminAsync(db, current, registered, ct);
        var versionId = await db.Versions.Where(v => v.ModelId == registered.Id && v.Number == version).Select(v => (Guid?)v.Id).SingleOrDefaultAsync(ct)
            ?? throw new NotFoundException($"Model '{registered.Name}' has no version {version}.");

        var now = time.GetUtcNow().UtcDateTime;
        var where = $"{registered.Name} v{version} failed to load on {host}";
        var entityId = versionId.ToString();
        var since = now - Quiet;
        var recent = await db.AuditEvents.AsNoTracking()
            .Where(e => e.Action == AuditActions.ServingLoadFailed && e.EntityType == "modelVersion" && e.EntityId == entityId && e.OccurredAtUtc > since)
            .Select(e => e.Reason).ToListAsync(ct);
        if (recent.Any(r => r is not null && r.Length > where.Length && r.StartsWith(where, StringComparison.Ordinal) && r[where.Length] is ':' or ' '))
            return new LoadFailureReceipt(false);

        var reason = alias is null ? $"{where}: {error}" : $"{where} (following @{alias}): {error}";
        var deliveries = await ProductEvents.RaiseAsync(db, WebhookEvents.ServingLoadFailed, $"{registered.Name} v{version} failed to load on {host}", error,
            $"/models/{Uri.EscapeDataString(registered.Name)}/versions/{version}", new { model = registered.Name, version, alias, host, error }, now, ct);
        // Checked above (ingest scope, the token's models, owner or admin). What the report adds, a notification and
        // webhook deliveries, is not a change to the model that the token guard's write scope is about.
        using (TokenScopeGuard.Use(Actor.System(current.Name)))
        using (AuditAmbient.BeginAction(AuditActions.ServingLoadFailed, "modelVersion", entityId, reason))
            await db.SaveChangesAsync(ct);
        jobs.EnqueueAll(deliveries);
        return new LoadFailureReceipt(true);
    }

    private static (string? Alias, string Error, string Host) Check(LoadFailureReport report)
    {
        var error = report.Error?.Trim();
        if (string.IsNullOrEmpty(error))
            throw Invalid("error", "Say what failed: the error the serving app saw.");
        if (error.Length > MaxErrorLength)
            error = error[..(MaxErrorLength - 1)] + "…";
        var host = string.IsNullOrWhiteSpace(report.Host) ? "an unnamed instance" : report.Host.Trim();
        if (host.Length > MaxHostLength || host.Any(char.IsControl))
            throw Invalid("host", $"A host name has at most {MaxHostLength} printable characters.");
        var alias = string.IsNullOrWhiteSpace(report.Alias) ? null : report.Alias.Trim();
        if (alias is { Length: > MaxAliasLength } || alias?.Any(char.IsControl) == true)
            throw Invalid("alias", $"An alias has at most {MaxAliasLength} printable characters.");
        return (alias, error, host);
    }

    private static ValidationException Invalid(string field, string message) => new(message, new Dictionary<string, string[]> { [field] = [message] });
}
