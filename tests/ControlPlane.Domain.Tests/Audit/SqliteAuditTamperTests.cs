using ControlPlane.Domain.Persistence;
using ControlPlane.TestSupport;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;

namespace ControlPlane.Domain.Tests.Audit;

public class SqliteAuditTamperTests : AuditTamperSuite
{
    protected override Task<DomainHost> StartHostAsync() => DomainHost.StartAsync();

    protected override async Task DropTriggersAsync(ControlPlaneDbContext db)
    {
        await db.Database.ExecuteSqlRawAsync("DROP TRIGGER IF EXISTS \"AuditEvents_no_update\"");
        await db.Database.ExecuteSqlRawAsync("DROP TRIGGER IF EXISTS \"AuditEvents_no_delete\"");
    }

    protected override Type AppendOnlyViolation => typeof(SqliteException);
}
