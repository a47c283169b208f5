using ControlPlane.Domain.Persistence;
using ControlPlane.TestSupport;
using Microsoft.EntityFrameworkCore;
using Npgsql;

namespace ControlPlane.Integration.Tests;

public sealed class PostgresAuditTamperTests : AuditTamperSuite
{
    protected override async Task<DomainHost> StartHostAsync() =>
        await DomainHost.StartAsync(new Dictionary<string, string?>
        {
            ["Database:Provider"] = "PostgreSql",
            ["ConnectionStrings:ControlPlane"] = await PostgresServer.CreateDatabaseAsync(),
        });

    protected override Task DropTriggersAsync(ControlPlaneDbContext db) =>
        db.Database.ExecuteSqlRawAsync("ALTER TABLE \"AuditEvents\" DISABLE TRIGGER USER");

    protected override Type AppendOnlyViolation => typeof(PostgresException);

    [Fact]
    public async Task A_reason_longer_than_its_varchar_column_is_cut_not_refused()
    {
        await using var host = await StartHostAsync();

        await Log(host).RecordAsync("auth.access_denied", reason: "GET /" + new string('a', 5000));

        await using var db = await Db(host);
        Assert.Equal(2000, (await db.AuditEvents.OrderByDescending(e => e.Sequence).FirstAsync()).Reason!.Length);
    }

    [Fact]
    public async Task Truncate_is_rejected_too()
    {
        await using var host = await StartHostAsync();
        await using var db = await Db(host);

        var error = await Assert.ThrowsAsync<PostgresException>(() => db.Database.ExecuteSqlRawAsync("TRUNCATE \"AuditEvents\""));

        Assert.Contains("append-only", error.MessageText);
    }
}
