using ControlPlane.Domain.Audit;
using ControlPlane.Domain.Persistence;
using ControlPlane.TestSupport;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace ControlPlane.Domain.Tests.Audit;

/// <summary>
/// The same tamper suite with verification split into ranges of three rows, so every tampered row sits
/// at, next to, or across a range boundary of the parallel verifier.
/// </summary>
public sealed class SqliteAuditTamperAcrossRangesTests : AuditTamperSuite
{
    protected override Task<DomainHost> StartHostAsync() => DomainHost.StartAsync();

    protected override async Task DropTriggersAsync(ControlPlaneDbContext db)
    {
        await db.Database.ExecuteSqlRawAsync("DROP TRIGGER IF EXISTS \"AuditEvents_no_update\"");
        await db.Database.ExecuteSqlRawAsync("DROP TRIGGER IF EXISTS \"AuditEvents_no_delete\"");
    }

    protected override Type AppendOnlyViolation => typeof(Microsoft.Data.Sqlite.SqliteException);

    protected override AuditVerifier VerifierOf(DomainHost host) =>
        new(host.Services.GetRequiredService<IDbContextFactory<ControlPlaneDbContext>>()) { RangeSize = 3 };
}
