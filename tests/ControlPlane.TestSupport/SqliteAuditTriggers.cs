using Microsoft.EntityFrameworkCore;

namespace ControlPlane.TestSupport;

/// <summary>What an attacker with write access to the SQLite file does before editing the audit table.</summary>
public static class SqliteAuditTriggers
{
    public static async Task DropAsync(DbContext db)
    {
        await db.Database.ExecuteSqlRawAsync("DROP TRIGGER IF EXISTS \"AuditEvents_no_update\"");
        await db.Database.ExecuteSqlRawAsync("DROP TRIGGER IF EXISTS \"AuditEvents_no_delete\"");
        await db.Database.ExecuteSqlRawAsync("DROP TRIGGER IF EXISTS \"AuditEvents_append_at_head\"");
    }
}
