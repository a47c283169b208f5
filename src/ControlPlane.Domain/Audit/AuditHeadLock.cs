using Microsoft.EntityFrameworkCore;

namespace ControlPlane.Domain.Audit;

/// <summary>
/// Serializes writers at the head of the chain for the rest of the current transaction, so sequence numbers
/// stay gap-free and every event links to the one before it, across processes.
/// </summary>
internal static class AuditHeadLock
{
    private const long PostgresLockKey = 0x436F6E74726F6C; // "Control"

    public static Task AcquireAsync(DbContext db, CancellationToken ct)
    {
        var provider = db.Database.ProviderName ?? "";
        // SQLite: EF begins transactions with BEGIN IMMEDIATE, which already holds the database write lock.
        if (provider.Contains("Sqlite", StringComparison.Ordinal))
            return Task.CompletedTask;
        if (provider.Contains("Npgsql", StringComparison.Ordinal))
            return db.Database.ExecuteSqlRawAsync($"SELECT pg_advisory_xact_lock({PostgresLockKey})", ct);
        if (provider.Contains("SqlServer", StringComparison.Ordinal))
            return db.Database.ExecuteSqlRawAsync(
                "DECLARE @r int; EXEC @r = sp_getapplock @Resource = N'ControlPlane.AuditHead', @LockMode = N'Exclusive', @LockOwner = N'Transaction', @LockTimeout = 30000; IF @r < 0 THROW 51000, N'Timed out waiting for the audit chain lock.', 1;", ct);
        throw new NotSupportedException($"No audit head lock for provider {provider}.");
    }
}
