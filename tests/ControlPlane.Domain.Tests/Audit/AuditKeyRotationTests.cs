using ControlPlane.Domain.Audit;
using ControlPlane.Domain.Persistence;
using ControlPlane.TestSupport;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace ControlPlane.Domain.Tests.Audit;

public sealed class AuditKeyRotationTests
{
    [Fact]
    public async Task A_new_key_is_recorded_when_it_takes_over_and_old_events_verify_while_the_old_key_is_kept()
    {
        await using var first = await DomainHost.StartAsync();
        await first.Services.GetRequiredService<AuditLog>().RecordAsync("test.before");
        var data = first.Services.GetRequiredService<DatabaseSettings>().DataDirectory;
        var ring = first.Services.GetRequiredService<AuditKeyRing>();
        var old = ring.ActiveKeyId;
        AuditKeyRing.Create(ring.Directory, "k29990101000000"); // sorts last: active at the next start

        await using var second = await DomainHost.StartAsync(new Dictionary<string, string?> { ["ControlPlane:DataDirectory"] = data });
        await second.Services.GetRequiredService<AuditLog>().RecordAsync("test.after");

        await using (var db = await second.Services.GetRequiredService<IDbContextFactory<ControlPlaneDbContext>>().CreateDbContextAsync())
        {
            var events = await db.AuditEvents.OrderBy(e => e.Sequence).ToListAsync();
            Assert.Equal([AuditActions.AuditKeyRotated, "test.before", AuditActions.AuditKeyRotated, "test.after"], events.Select(e => e.Action));
            Assert.Equal([old, old, "k29990101000000", "k29990101000000"], events.Select(e => e.KeyId));
            Assert.Equal($"Chain key changed from '{old}' to 'k29990101000000'.", events[2].Reason);
        }
        var both = await second.VerifyAuditAsync();
        Assert.True(both.Intact, both.Problem);

        File.Delete(Path.Combine(ring.Directory, old + AuditKeyRing.Extension));
        await using var third = await DomainHost.StartAsync(new Dictionary<string, string?> { ["ControlPlane:DataDirectory"] = data });
        var lost = await third.VerifyAuditAsync();
        Assert.Equal(AuditVerification.BrokenState, lost.State);
        Assert.Equal(1, lost.FirstBrokenSequence);
        Assert.Contains("does not hold", lost.Problem);
    }

    [Fact]
    public async Task Events_written_before_the_chain_was_keyed_are_anchored_by_the_first_keyed_event()
    {
        await using var host = await DomainHost.StartAsync();
        var contexts = host.Services.GetRequiredService<IDbContextFactory<ControlPlaneDbContext>>();
        await using var db = await contexts.CreateDbContextAsync();
        // An upgraded installation: a chain of plain-hashed events from before keying, then the key arrives.
        var all = await db.AuditEvents.AsNoTracking().ToListAsync();
        Assert.Single(all);
        await SqliteAuditTriggers.DropAsync(db);
        await db.Database.ExecuteSqlRawAsync("DELETE FROM \"AuditEvents\"");
        var previous = AuditChain.GenesisHash;
        for (var i = 1; i <= 3; i++)
        {
            var legacy = new AuditEvent { Sequence = i, OccurredAtUtc = new DateTime(2025, 1, i, 0, 0, 0, DateTimeKind.Utc), ActorName = "system", Action = "legacy.event", PreviousHash = previous };
            legacy.Hash = previous = AuditChain.ComputeHash(legacy);
            await db.Database.ExecuteSqlAsync($"INSERT INTO \"AuditEvents\" (\"Sequence\", \"OccurredAtUtc\", \"ActorName\", \"Action\", \"Changes\", \"PreviousHash\", \"Hash\") VALUES ({legacy.Sequence}, {legacy.OccurredAtUtc}, {legacy.ActorName}, {legacy.Action}, {"[]"}, {legacy.PreviousHash}, {legacy.Hash})");
        }

        await host.Services.GetRequiredService<AuditLog>().RecordAsync("test.keyed");

        var events = await db.AuditEvents.AsNoTracking().OrderBy(e => e.Sequence).ToListAsync();
        Assert.Equal(["legacy.event", "legacy.event", "legacy.event", AuditActions.AuditKeyRotated, "test.keyed"], events.Select(e => e.Action));
        Assert.Null(events[2].KeyId);
        Assert.Contains("unkeyed events before this one are anchored by it", events[3].Reason);
        var result = await host.VerifyAuditAsync();
        Assert.True(result.Intact, result.Problem);
    }
}
