using ControlPlane.Domain.Audit;
using ControlPlane.Domain.Persistence;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Storage;
using Microsoft.Extensions.DependencyInjection;
using Xunit;

namespace ControlPlane.TestSupport;

/// <summary>
/// The tamper matrix, run against each real database. The attacker holds the database (owner rights: triggers
/// dropped first) and knows the documented canonical form, but not the chain key or the digest signing key.
/// Chain: event 1 records the chain key, events 2..11 are test events, event 12 is a signed digest, 13..17 follow it.
/// </summary>
public abstract class AuditTamperSuite
{
    protected const int Events = 10;
    protected const long Digest = Events + 2;
    protected const long Head = Digest + 5;

    protected abstract Task<DomainHost> StartHostAsync();

    /// <summary>What an attacker with owner rights does first: switch off the append-only triggers.</summary>
    protected abstract Task DropTriggersAsync(ControlPlaneDbContext db);

    /// <summary>The error the database raises for a raw UPDATE or DELETE on the audit table.</summary>
    protected abstract Type AppendOnlyViolation { get; }

    [Fact]
    public async Task An_untouched_chain_verifies_from_the_first_event_and_is_anchored_by_the_signed_digest()
    {
        await using var host = await ChainAsync();

        var result = await Verify(host);

        Assert.True(result.Intact, result.Problem);
        Assert.Equal(Head, result.EventsChecked);
        Assert.Equal(Head, result.LastSequence);
        Assert.Equal(Digest, result.AnchoredSequence);
        await using var db = await Db(host);
        Assert.Equal(AuditActions.AuditKeyRotated, (await db.AuditEvents.SingleAsync(e => e.Sequence == 1)).Action);
        Assert.Equal(0, await db.AuditEvents.CountAsync(e => e.KeyId == null || e.Mac == null));
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

    [Theory]
    [InlineData(0L, false)]
    [InlineData(5L, false)]
    [InlineData(Head + 2, false)]
    [InlineData(Head + 1, true)] // right sequence, wrong link
    public async Task Inserts_other_than_the_next_event_at_the_head_are_rejected_by_the_database(long sequence, bool wrongLink)
    {
        await using var host = await ChainAsync();
        await using var db = await Db(host);
        var forged = await ForgeAsync(db, sequence);
        if (wrongLink)
            forged.PreviousHash = new string('1', 64);

        var error = await Assert.ThrowsAnyAsync<Exception>(() => InsertRawAsync(db, forged));

        Assert.IsAssignableFrom(AppendOnlyViolation, error);
        Assert.Contains("append-only", error.Message);
        Assert.True((await Verify(host)).Intact);
    }

    [Fact]
    public async Task A_forged_event_appended_at_the_head_with_insert_only_fails_its_MAC()
    {
        await using var host = await ChainAsync();
        await using (var db = await Db(host))
        {
            var forged = await ForgeAsync(db, Head + 1);
            forged.Mac = new string('a', 64);
            await InsertRawAsync(db, forged); // passes the database's own checks: it is the next event, linked
        }

        var result = await Verify(host);

        AssertBroken(result, Head + 1, "MAC");
    }

    [Fact]
    public async Task A_forged_unkeyed_event_at_the_head_is_a_downgrade()
    {
        await using var host = await ChainAsync();
        await using (var db = await Db(host))
            await InsertRawAsync(db, await ForgeAsync(db, Head + 1, keyed: false));

        AssertBroken(await Verify(host), Head + 1, "no chain key");
    }

    [Fact]
    public async Task An_edited_field_is_found_at_its_sequence()
    {
        await using var host = await ChainAsync();
        await TamperAsync(host, "UPDATE \"AuditEvents\" SET \"Reason\" = 'nothing to see' WHERE \"Sequence\" = 5");

        AssertBroken(await Verify(host), 5, "altered");
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

        Assert.False(result.Intact);
        Assert.Equal(5, result.FirstBrokenSequence); // the MAC no longer fits the new hash
    }

    [Fact]
    public async Task A_rewrite_after_the_last_digest_with_recomputed_hashes_fails_the_MAC()
    {
        await using var host = await ChainAsync();
        await RewriteAsync(host, all => all[(int)Digest + 1].Reason = "rewritten");

        AssertBroken(await Verify(host), Digest + 2, "MAC");
    }

    [Fact]
    public async Task A_rewrite_that_strips_the_keys_is_a_downgrade()
    {
        await using var host = await ChainAsync();
        await RewriteAsync(host, all =>
        {
            all[(int)Digest + 1].Reason = "rewritten";
            foreach (var e in all.Skip((int)Digest + 1))
                (e.KeyId, e.Mac, e.CallerCorrelationId) = (null, null, null);
        });

        AssertBroken(await Verify(host), Digest + 2, "no chain key");
    }

    [Fact]
    public async Task A_chain_rebuilt_from_scratch_without_keys_disagrees_with_the_digest()
    {
        await using var host = await ChainAsync();
        await RewriteAsync(host, all =>
        {
            all[1].Reason = "rewritten";
            foreach (var e in all)
                (e.KeyId, e.Mac, e.CallerCorrelationId) = (null, null, null);
        });

        var result = await Verify(host);

        Assert.False(result.Intact);
        Assert.Contains("rewritten", result.Problem);
    }

    [Fact]
    public async Task An_event_inserted_in_the_middle_with_recomputed_hashes_fails_the_MAC()
    {
        await using var host = await ChainAsync();
        await using (var db = await Db(host))
        {
            var forged = await ForgeAsync(db, 0);
            await RewriteAsync(host, all => all.Insert(14, forged));
        }

        AssertBroken(await Verify(host), 15, "MAC");
    }

    [Fact]
    public async Task A_row_at_sequence_zero_is_counted()
    {
        await using var host = await ChainAsync();
        await using (var db = await Db(host))
        {
            var forged = await ForgeAsync(db, 0);
            await DropTriggersAsync(db);
            await InsertRawAsync(db, forged);
        }

        var result = await Verify(host);

        Assert.False(result.Intact);
        Assert.Equal(0, result.FirstBrokenSequence);
        Assert.Contains("outside the chain", result.Problem);
    }

    [Fact]
    public async Task A_replaced_event_fails_the_MAC()
    {
        await using var host = await ChainAsync();
        await RewriteAsync(host, all => all[15] = Forged(all[15], "promotion.approved"));

        AssertBroken(await Verify(host), 16, "MAC");
    }

    [Fact]
    public async Task Reordered_events_with_recomputed_hashes_fail_the_MAC()
    {
        await using var host = await ChainAsync();
        await RewriteAsync(host, all => (all[13], all[14]) = (all[14], all[13]));

        AssertBroken(await Verify(host), 14, "MAC");
    }

    [Fact]
    public async Task Swapped_rows_are_found_at_the_first_of_them()
    {
        await using var host = await ChainAsync();
        await TamperAsync(host,
            "UPDATE \"AuditEvents\" SET \"Sequence\" = -1 WHERE \"Sequence\" = 3",
            "UPDATE \"AuditEvents\" SET \"Sequence\" = 3 WHERE \"Sequence\" = 7",
            "UPDATE \"AuditEvents\" SET \"Sequence\" = 7 WHERE \"Sequence\" = -1");

        Assert.Equal(3, (await Verify(host)).FirstBrokenSequence);
    }

    [Fact]
    public async Task A_deleted_row_is_found_at_its_sequence()
    {
        await using var host = await ChainAsync();
        await TamperAsync(host, "DELETE FROM \"AuditEvents\" WHERE \"Sequence\" = 4");

        AssertBroken(await Verify(host), 4, "missing");
    }

    [Fact]
    public async Task A_tail_deleted_back_before_the_last_digest_is_found()
    {
        await using var host = await ChainAsync();
        await TamperAsync(host, $"DELETE FROM \"AuditEvents\" WHERE \"Sequence\" > {Events - 3}");

        var result = await Verify(host);

        AssertBroken(result, Events - 2, "truncated");
    }

    [Fact]
    public async Task A_tail_deleted_back_to_the_last_digest_is_found_once_the_digest_is_overdue()
    {
        await using var host = await ChainAsync();
        host.Time.Advance(TimeSpan.FromMinutes(11)); // the digest job has not run since: two 5-minute intervals passed
        await TamperAsync(host, $"DELETE FROM \"AuditEvents\" WHERE \"Sequence\" > {Digest + 2}");

        var result = await Verify(host);

        AssertState(result, AuditVerification.UnanchoredState, "two digest intervals");
    }

    [Fact]
    public async Task The_exposure_window_is_a_cut_of_the_events_since_the_last_digest_within_two_intervals()
    {
        // The documented limit (docs/audit.md): what no anchor has seen yet can be cut without a trace.
        await using var host = await ChainAsync();
        await TamperAsync(host, $"DELETE FROM \"AuditEvents\" WHERE \"Sequence\" > {Digest}");

        Assert.True((await Verify(host)).Intact);
    }

    [Fact]
    public async Task A_deleted_digest_file_leaves_the_trail_unanchored()
    {
        await using var host = await ChainAsync();
        File.Delete(Digests(host).DigestFile);

        var result = await Verify(host);

        AssertState(result, AuditVerification.UnanchoredState, "no digest file");
    }

    [Fact]
    public async Task A_deleted_digest_line_is_found()
    {
        await using var host = await ChainAsync();
        var path = Digests(host).DigestFile;
        var lines = await File.ReadAllLinesAsync(path);
        await File.WriteAllLinesAsync(path, lines[..^1]);

        AssertBroken(await Verify(host), Digest, "digest was removed");
    }

    [Fact]
    public async Task A_digest_line_deleted_from_the_middle_breaks_the_digest_chain()
    {
        await using var host = await ChainAsync();
        await Log(host).RecordAsync("test.event", reason: "more");
        await Digests(host).WriteAsync();
        var path = Digests(host).DigestFile;
        var lines = await File.ReadAllLinesAsync(path);
        await File.WriteAllLinesAsync(path, lines[1..]);

        var result = await Verify(host);

        AssertState(result, AuditVerification.BrokenState, "does not chain");
    }

    [Theory]
    [InlineData("edited")]
    [InlineData("unsigned")]
    [InlineData("garbage")]
    public async Task A_bad_digest_line_is_a_finding_never_an_exception(string how)
    {
        await using var host = await ChainAsync();
        var path = Digests(host).DigestFile;
        var line = (await File.ReadAllLinesAsync(path)).Single();
        var bad = how switch
        {
            "edited" => System.Text.RegularExpressions.Regex.Replace(line, "\"hash\":\"[0-9a-f]{64}\"", $"\"hash\":\"{new string('0', 64)}\""),
            "unsigned" => System.Text.RegularExpressions.Regex.Replace(line, ",\"signature\":\"[^\"]*\"", ""),
            _ => "{not json",
        };
        Assert.NotEqual(line, bad);
        await File.WriteAllTextAsync(path, bad + "\n");

        var result = await Verify(host);

        AssertState(result, AuditVerification.BrokenState, "Digest line 1");
    }

    [Fact]
    public async Task Concurrent_digests_queue_up_at_the_head_and_chain_to_each_other()
    {
        await using var host = await ChainAsync();

        var entries = await Task.WhenAll(Enumerable.Range(0, 10).Select(i => Task.Run(async () =>
        {
            await Log(host).RecordAsync("test.concurrent", reason: $"before digest {i}");
            return await Digests(host).WriteAsync();
        })));

        var result = await Verify(host);
        Assert.True(result.Intact, result.Problem);
        var anchors = await Digests(host).LoadAsync();
        Assert.Null(anchors.Problem);
        Assert.Equal(anchors.Entries.Select(e => e.Sequence).Distinct().Count(), anchors.Entries.Count);
        Assert.All(entries, e => Assert.Contains(anchors.Entries, a => a.Sequence == e.Sequence && a.Hash == e.Hash));
    }

    [Fact]
    public async Task Concurrent_writers_keep_one_gap_free_linear_chain()
    {
        await using var host = await StartHostAsync();
        var log = Log(host);
        const int writers = 24, each = 5;

        await Task.WhenAll(Enumerable.Range(0, writers).Select(w => Task.Run(async () =>
        {
            for (var i = 0; i < each; i++)
                await log.RecordAsync("test.concurrent", "writer", w.ToString(), reason: $"event {i}");
        })));
        await Digests(host).WriteAsync();

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
        var log = Log(host);
        for (var i = 1; i <= Events; i++)
            await log.RecordAsync("test.event", "thing", i.ToString(), reason: i % 2 == 0 ? $"reason {i}" : null,
                details: [new AuditChange("thing", i.ToString(), "Value", null, $"v{i}")]);
        var digest = await Digests(host).WriteAsync();
        Assert.Equal(Digest, digest.Sequence);
        for (var i = 1; i <= Head - Digest; i++)
            await log.RecordAsync("test.after_digest", "thing", i.ToString());
        return host;
    }

    private static AuditEvent Forged(AuditEvent template, string action) => new()
    {
        Sequence = template.Sequence, OccurredAtUtc = template.OccurredAtUtc, ActorId = template.ActorId, ActorName = "mallory",
        Action = action, EntityType = "promotionRequest", EntityId = "forged", Changes = "[]", Reason = "approved",
        CorrelationId = template.CorrelationId, ClientIp = template.ClientIp, KeyId = template.KeyId, Mac = template.Mac,
    };

    /// <summary>A plausible event at <paramref name="sequence"/>, linked to the current head with a correct plain hash.</summary>
    private static async Task<AuditEvent> ForgeAsync(ControlPlaneDbContext db, long sequence, bool keyed = true)
    {
        var head = await db.AuditEvents.AsNoTracking().OrderByDescending(e => e.Sequence).FirstAsync();
        var forged = Forged(head, "promotion.approved");
        forged.Sequence = sequence;
        forged.PreviousHash = head.Hash;
        if (!keyed)
            (forged.KeyId, forged.Mac) = (null, null);
        forged.Hash = AuditChain.ComputeHash(forged);
        return forged;
    }

    /// <summary>The attacker's rebuild: change the events, renumber, recompute every plain hash, and write them all back.</summary>
    private async Task RewriteAsync(DomainHost host, Action<List<AuditEvent>> tamper)
    {
        await using var db = await Db(host);
        var all = await db.AuditEvents.AsNoTracking().OrderBy(e => e.Sequence).ToListAsync();
        tamper(all);
        var previous = AuditChain.GenesisHash;
        for (var i = 0; i < all.Count; i++)
        {
            all[i].Sequence = i + 1;
            all[i].PreviousHash = previous;
            all[i].Hash = previous = AuditChain.ComputeHash(all[i]);
        }
        await DropTriggersAsync(db);
        await db.Database.ExecuteSqlRawAsync("DELETE FROM \"AuditEvents\"");
        foreach (var e in all)
            await InsertRawAsync(db, e);
    }

    protected static async Task InsertRawAsync(ControlPlaneDbContext db, AuditEvent e)
    {
        await db.Database.OpenConnectionAsync();
        await using var command = db.Database.GetDbConnection().CreateCommand();
        command.Transaction = db.Database.CurrentTransaction?.GetDbTransaction();
        command.CommandText =
            "INSERT INTO \"AuditEvents\" (\"Sequence\", \"OccurredAtUtc\", \"ActorId\", \"ActorName\", \"Action\", \"EntityType\", \"EntityId\", \"Changes\", " +
            "\"Reason\", \"CorrelationId\", \"ClientIp\", \"PreviousHash\", \"Hash\", \"KeyId\", \"Mac\", \"CallerCorrelationId\") " +
            "VALUES (@p0, @p1, @p2, @p3, @p4, @p5, @p6, @p7, @p8, @p9, @p10, @p11, @p12, @p13, @p14, @p15)";
        object?[] values = [e.Sequence, DateTime.SpecifyKind(e.OccurredAtUtc, DateTimeKind.Utc), e.ActorId, e.ActorName, e.Action, e.EntityType, e.EntityId, e.Changes,
            e.Reason, e.CorrelationId, e.ClientIp, e.PreviousHash, e.Hash, e.KeyId, e.Mac, e.CallerCorrelationId];
        for (var i = 0; i < values.Length; i++)
        {
            var p = command.CreateParameter();
            p.ParameterName = $"@p{i}";
            p.Value = values[i] ?? DBNull.Value;
            if (values[i] is null)
                p.DbType = System.Data.DbType.String;
            command.Parameters.Add(p);
        }
        await command.ExecuteNonQueryAsync();
    }

    protected async Task TamperAsync(DomainHost host, params string[] statements)
    {
        await using var db = await Db(host);
        await DropTriggersAsync(db);
        foreach (var sql in statements)
            await db.Database.ExecuteSqlRawAsync(sql);
    }

    private static void AssertBroken(AuditVerification result, long sequence, string problem)
    {
        AssertState(result, AuditVerification.BrokenState, problem);
        Assert.Equal(sequence, result.FirstBrokenSequence);
    }

    private static void AssertState(AuditVerification result, string state, string problem)
    {
        Assert.Equal(state, result.State);
        Assert.False(result.Intact);
        Assert.Contains(problem, result.Problem);
    }

    /// <summary>The verifier under test; a suite may shrink its ranges to put range boundaries between tampered rows.</summary>
    protected virtual AuditVerifier VerifierOf(DomainHost host) => host.Services.GetRequiredService<AuditVerifier>();

    protected async Task<AuditVerification> Verify(DomainHost host) =>
        await VerifierOf(host).VerifyAsync(await Digests(host).LoadAsync());

    protected static AuditDigests Digests(DomainHost host) => host.Services.GetRequiredService<AuditDigests>();

    protected static AuditLog Log(DomainHost host) => host.Services.GetRequiredService<AuditLog>();

    protected static Task<ControlPlaneDbContext> Db(DomainHost host) =>
        host.Services.GetRequiredService<IDbContextFactory<ControlPlaneDbContext>>().CreateDbContextAsync();
}
