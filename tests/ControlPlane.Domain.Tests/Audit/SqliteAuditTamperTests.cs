using ControlPlane.Domain.Persistence;
using ControlPlane.TestSupport;
using Microsoft.Data.Sqlite;

namespace ControlPlane.Domain.Tests.Audit;

public class SqliteAuditTamperTests : AuditTamperSuite
{
    protected override Task<DomainHost> StartHostAsync() => DomainHost.StartAsync();

    protected override Task DropTriggersAsync(ControlPlaneDbContext db) => SqliteAuditTriggers.DropAsync(db);

    protected override Type AppendOnlyViolation => typeof(SqliteException);
}
