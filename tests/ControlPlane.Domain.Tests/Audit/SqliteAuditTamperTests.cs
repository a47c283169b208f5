using ControlPlane.Domain.Persistence;
using ControlPlane.TestSupport;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;

namespace ControlPlane.Domain.Tests.Audit;

public class SqliteAuditTamperTests : AuditTamperSuite
{
    protected override Task<DomainHost> StartHostAsync() => DomainHost.StartAsync();

    protected override Task DropTriggersAsync(ControlPlaneDbContext db) => SqliteAuditTriggers.DropAsync(db);

    protected override Type AppendOnlyViolation => typeof(SqliteException);

    [Fact]
    public async Task Insert_or_replace_over_an_event_is_rejected()
    {
        // REPLACE deletes the old row without firing DELETE triggers; only the insert trigger stands in the way.
        await using var host = await StartHostAsync();
        await Log(host).RecordAsync("test.event");
        await using var db = await Db(host);
        var e = await db.AuditEvents.AsNoTracking().OrderBy(x => x.Sequence).LastAsync();

        var error = await Assert.ThrowsAsync<SqliteException>(() => db.Database.ExecuteSqlAsync(
            $"INSERT OR REPLACE INTO \"AuditEvents\" (\"Sequence\", \"OccurredAtUtc\", \"ActorName\", \"Action\", \"Changes\", \"PreviousHash\", \"Hash\") VALUES ({e.Sequence}, {"2026-01-01 00:00:00"}, {"mallory"}, {"promotion.approved"}, {"[]"}, {e.PreviousHash}, {e.Hash})"));

        Assert.Contains("append-only", error.Message);
        Assert.Equal("test.event", (await db.AuditEvents.AsNoTracking().SingleAsync(x => x.Sequence == e.Sequence)).Action);
    }
}
