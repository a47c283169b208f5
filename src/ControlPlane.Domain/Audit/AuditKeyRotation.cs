using System.Data.Common;
using ControlPlane.Domain.Persistence;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace ControlPlane.Domain.Audit;

/// <summary>
/// On start (after migrations), records <c>audit.key_rotated</c> when the active chain key is not the head's, so the
/// head is keyed before anyone verifies: a new or changed key is on the record at once, not at the next change.
/// </summary>
internal sealed class AuditKeyRotation(IDbContextFactory<ControlPlaneDbContext> contexts, AuditKeyRing keys, AuditLog log, ILogger<AuditKeyRotation> logger) : IHostedService
{
    public static string Reason(string? from, string to) => from is null
        ? $"The chain is keyed from here on with key '{to}'; the unkeyed events before this one are anchored by it."
        : $"Chain key changed from '{from}' to '{to}'.";

    public async Task StartAsync(CancellationToken cancellationToken)
    {
        try
        {
            await using var db = await contexts.CreateDbContextAsync(cancellationToken);
            var head = await db.AuditEvents.AsNoTracking().OrderByDescending(e => e.Sequence).Select(e => new { e.KeyId }).FirstOrDefaultAsync(cancellationToken);
            if (head?.KeyId != keys.ActiveKeyId)
                await log.RecordAsync(AuditActions.AuditKeyRotated, "auditKey", keys.ActiveKeyId, Reason(head?.KeyId, keys.ActiveKeyId), origin: AuditOrigin.System, ct: cancellationToken);
        }
        catch (Exception e) when (e is DbException or DbUpdateException or InvalidOperationException)
        {
            // The database is not there yet (readiness reports it): the first audited save records the key instead.
            logger.LogWarning(e, "Could not record the active audit chain key at start");
        }
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
