using ControlPlane.Domain.Audit;
using ControlPlane.Domain.Persistence;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Xunit;

namespace ControlPlane.TestSupport;

/// <summary>
/// The tamper suite, run against each real database: an attacker with database access edits, deletes,
/// swaps or truncates audit rows (dropping the append-only triggers first), and verification must name
/// the first broken sequence number.
/// </summary>
public abstract class AuditTamperSuite
{
    protected const int Events = 10;

    protected abstract Task<DomainHost> StartHostAsync();

    /// <summary>What an attacker with owner rights does first: switch off the append-only triggers.</summary>
    protected abstract Task DropTriggersAsync(ControlPlaneDbContext db);

    /// <summary>The error the database raises for a raw UPDATE or DELETE on the audit table.</summary>
    protected abstract Type AppendOnlyViolation { get; }

    [Fact]
    public async Task An_untouched_chain_verifies_from_the_first_event()
    {
        await using var host = await ChainAsync();

        var result = await Verify(host);

        Assert.True(result.Intact, result.Problem);
        Assert.Equal(Events, result.EventsChecked);
        Assert.Equal(Events, result.LastSequence);
    }

    [Fact]
    public async Task Raw_update_and_delete_are_rejected_by_the_database()
    {
        await using var host = await ChainAsync();
        await using var db = await Db(host);

        var update = await Assert.ThrowsAnyAsync<Exception>(() => db.Database.ExecuteSqlRawAsync("UPDATE \"AuditEvents\" SET \"ActorName\" = 'mallory' WHERE \"Sequence\" = 3"));
        var delete = await Assert.ThrowsAnyAsync<Exception>(() => db.Database.ExecuteSqlRawAsync("DELETE FROM \"AuditEvents\" WHERE \"Sequence\" = 3"));

        Assert.IsAssignableFrom(AppendOnlyViolation, update);
        Assert.Contains("append-only", update.Message);
        Assert.IsAssignableFrom(AppendOnlyViolation, delete);
        Assert.True((await Verify(host)).Intact);
    }

    [Fact]
    public async Task An_edited_field_is_found_at_its_sequence()
    {
        await using var host = await ChainAsync();
        await TamperAsync(host, "UPDATE \"AuditEvents\" SET \"Reason\" = 'nothing to see' WHERE \"Sequence\" = 5");

        var result = await Verify(host);

        Assert.False(result.Intact);
        Assert.Equal(5, result.FirstBrokenSequence);
        Assert.Contains("altered", result.Problem);
    }

    [Fact]
    public async Task An_edit_with_a_recomputed_hash_still_breaks_the_next_link()
    {
        await using var host = await ChainAsync();
        await using (var db = await Db(host))
        {
            var e = await db.AuditEvents.AsNoTracking().SingleAsync(x => x.Sequence == 5);
            e.Reason = "forged";
            await TamperAsync(host, $"UPDATE \"AuditEvents\" SET \"Reason\" = 'forged', \"Hash\" = '{AuditChain.ComputeHash(e)}' WHERE \"Sequence\" = 5");
        }

        var result = await Verify(host);

        Assert.Equal(6, result.FirstBrokenSequence);
        Assert.Contains("does not link", result.Problem);
    }

    [Fact]
    public async Task A_deleted_row_is_found_at_its_sequence()
    {
        await using var host = await ChainAsync();
        await TamperAsync(host, "DELETE FROM \"AuditEvents\" WHERE \"Sequence\" = 4");

        var result = await Verify(host);

        Assert.Equal(4, result.FirstBrokenSequence);
        Assert.Contains("missing", result.Problem);
    }

    [Fact]
    public async Task Swapped_rows_are_found_at_the_first_of_them()
    {
        await using var host = await ChainAsync();
        await TamperAsync(host,
            "UPDATE \"AuditEvents\" SET \"Sequence\" = -1 WHERE \"Sequence\" = 3",
            "UPDATE \"AuditEvents\" SET \"Sequence\" = 3 WHERE \"Sequence\" = 7",
            "UPDATE \"AuditEvents\" SET \"Sequence\" = 7 WHERE \"Sequence\" = -1");

        var result = await Verify(host);

        Assert.Equal(3, result.FirstBrokenSequence);
    }

    [Fact]
    public async Task A_truncated_tail_is_invisible_without_a_digest_and_found_with_one()
    {
        await using var host = await ChainAsync();
        var digests = host.Services.GetRequiredService<AuditDigests>();
        var anchor = await digests.WriteAsync(); // records its own event: the head is now Events + 1
        await TamperAsync(host, $"DELETE FROM \"AuditEvents\" WHERE \"Sequence\" > {Events - 3}");

        var without = await Verify(host);
        var with = await VerifierOf(host).VerifyAsync(await AuditDigests.ReadAsync(digests.DigestFile));

        Assert.Equal(Events + 1, anchor!.Sequence);
        Assert.True(without.Intact); // a consistent prefix: only an outside anchor can tell
        Assert.False(with.Intact);
        Assert.Equal(Events - 2, with.FirstBrokenSequence);
        Assert.Contains("truncated", with.Problem);
    }

    [Fact]
    public async Task A_chain_rebuilt_from_scratch_disagrees_with_the_digest()
    {
        await using var host = await ChainAsync();
        var digests = host.Services.GetRequiredService<AuditDigests>();
        await digests.WriteAsync();
        // The attacker rewrites event 2 and re-hashes every later event so the chain is self-consistent.
        await using (var db = await Db(host))
        {
            var all = await db.AuditEvents.AsNoTracking().OrderBy(e => e.Sequence).ToListAsync();
            all[1].Reason = "rewritten";
            var statements = new List<string>();
            for (var i = 1; i < all.Count; i++)
            {
                all[i].PreviousHash = all[i - 1].Hash;
                all[i].Hash = AuditChain.ComputeHash(all[i]);
                statements.Add($"UPDATE \"AuditEvents\" SET \"Reason\" = {(all[i].Reason is null ? "NULL" : $"'{all[i].Reason}'")}, \"PreviousHash\" = '{all[i].PreviousHash}', \"Hash\" = '{all[i].Hash}' WHERE \"Sequence\" = {all[i].Sequence}");
            }
            await TamperAsync(host, [.. statements]);
        }

        var without = await Verify(host);
        var with = await VerifierOf(host).VerifyAsync(await AuditDigests.ReadAsync(digests.DigestFile));

        Assert.True(without.Intact);
        Assert.False(with.Intact);
        Assert.Contains("rewritten", with.Problem);
    }

    [Fact]
    public async Task Concurrent_writers_keep_one_gap_free_linear_chain()
    {
        await using var host = await StartHostAsync();
        var log = host.Services.GetRequiredService<AuditLog>();
        const int writers = 24, each = 5;

        await Task.WhenAll(Enumerable.Range(0, writers).Select(w => Task.Run(async () =>
        {
            for (var i = 0; i < each; i++)
                await log.RecordAsync("test.concurrent", "writer", w.ToString(), reason: $"event {i}");
        })));

        var result = await Verify(host);
        Assert.True(result.Intact, result.Problem);
        await using var db = await Db(host);
        var sequences = await db.AuditEvents.OrderBy(e => e.Sequence).Select(e => e.Sequence).ToListAsync();
        Assert.Equal(Enumerable.Range(1, sequences.Count).Select(i => (long)i), sequences);
        Assert.Equal(writers * each, await db.AuditEvents.CountAsync(e => e.Action == "test.concurrent"));
    }

    private async Task<DomainHost> ChainAsync()
    {
        var host = await StartHostAsync();
        var log = host.Services.GetRequiredService<AuditLog>();
        for (var i = 1; i <= Events; i++)
            await log.RecordAsync("test.event", "thing", i.ToString(), reason: i % 2 == 0 ? $"reason {i}" : null,
                details: [new AuditChange("thing", i.ToString(), "Value", null, $"v{i}")]);
        return host;
    }

    private async Task TamperAsync(DomainHost host, params string[] statements)
    {
        await using var db = await Db(host);
        await DropTriggersAsync(db);
        foreach (var sql in statements)
            await db.Database.ExecuteSqlRawAsync(sql);
    }

    /// <summary>The verifier under test; a suite may shrink its ranges to put range boundaries between tampered rows.</summary>
    protected virtual AuditVerifier VerifierOf(DomainHost host) => host.Services.GetRequiredService<AuditVerifier>();

    private Task<AuditVerification> Verify(DomainHost host) => VerifierOf(host).VerifyAsync();

    protected static Task<ControlPlaneDbContext> Db(DomainHost host) =>
        host.Services.GetRequiredService<IDbContextFactory<ControlPlaneDbContext>>().CreateDbContextAsync();
}
