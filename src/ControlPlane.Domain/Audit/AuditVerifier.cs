using System.Data.Common;
using ControlPlane.Domain.Persistence;
using Microsoft.EntityFrameworkCore;

namespace ControlPlane.Domain.Audit;

public sealed record AuditVerification(bool Intact, long EventsChecked, long? FirstBrokenSequence, string? Problem, long LastSequence, string LastHash);

/// <summary>
/// Recomputes the chain from the first event, streamed row by row. Finds the first edited, deleted or
/// reordered event; with a digest (an anchor kept outside the database) also a truncated or rewritten tail.
/// </summary>
public sealed class AuditVerifier(IDbContextFactory<ControlPlaneDbContext> contexts)
{
    private const string Select =
        "SELECT \"Sequence\", \"OccurredAtUtc\", \"ActorId\", \"ActorName\", \"Action\", \"EntityType\", \"EntityId\", " +
        "\"Changes\", \"Reason\", \"CorrelationId\", \"ClientIp\", \"PreviousHash\", \"Hash\" FROM \"AuditEvents\" ORDER BY \"Sequence\"";

    public async Task<AuditVerification> VerifyAsync(IReadOnlyList<AuditDigestEntry>? digests = null, CancellationToken ct = default)
    {
        await using var db = await contexts.CreateDbContextAsync(ct);
        var connection = db.Database.GetDbConnection();
        await db.Database.OpenConnectionAsync(ct);
        await using var command = connection.CreateCommand();
        command.CommandText = Select;
        command.CommandTimeout = 0;
        await using var reader = await command.ExecuteReaderAsync(System.Data.CommandBehavior.SequentialAccess, ct);

        var anchors = (digests ?? []).ToDictionary(d => d.Sequence, d => d.Hash);
        long expected = 1, checkedCount = 0;
        var previous = AuditChain.GenesisHash;
        while (await reader.ReadAsync(ct))
        {
            var e = Read(reader);
            checkedCount++;
            if (e.Sequence != expected)
                return Broken(expected, e.Sequence > expected
                    ? $"Event {expected} is missing (the next stored event is {e.Sequence})."
                    : $"Event {e.Sequence} appears out of order.", checkedCount, expected - 1, previous);
            if (!string.Equals(e.PreviousHash, previous, StringComparison.Ordinal))
                return Broken(e.Sequence, $"Event {e.Sequence} does not link to event {e.Sequence - 1} (rows were swapped, removed or rewritten).", checkedCount, expected - 1, previous);
            var hash = AuditChain.ComputeHash(e);
            if (!string.Equals(hash, e.Hash, StringComparison.Ordinal))
                return Broken(e.Sequence, $"Event {e.Sequence} was altered: its content does not match its hash.", checkedCount, expected - 1, previous);
            if (anchors.TryGetValue(e.Sequence, out var anchored) && !string.Equals(anchored, e.Hash, StringComparison.Ordinal))
                return Broken(e.Sequence, $"Event {e.Sequence} differs from the digest written at the time: the chain was rewritten.", checkedCount, expected - 1, previous);
            previous = e.Hash;
            expected++;
        }
        var last = expected - 1;
        var beyond = anchors.Keys.Where(s => s > last).DefaultIfEmpty().Max();
        if (beyond > 0)
            return Broken(last + 1, $"The digest records event {beyond}, but the chain ends at {last}: the tail was truncated.", checkedCount, last, previous);
        return new AuditVerification(true, checkedCount, null, null, last, previous);
    }

    private static AuditVerification Broken(long sequence, string problem, long checkedCount, long last, string lastHash) =>
        new(false, checkedCount, sequence, problem, last, lastHash);

    private static AuditEvent Read(DbDataReader r) => new()
    {
        Sequence = r.GetInt64(0),
        OccurredAtUtc = DateTime.SpecifyKind(r.GetDateTime(1), DateTimeKind.Utc),
        ActorId = r.IsDBNull(2) ? null : r.GetString(2),
        ActorName = r.GetString(3),
        Action = r.GetString(4),
        EntityType = r.IsDBNull(5) ? null : r.GetString(5),
        EntityId = r.IsDBNull(6) ? null : r.GetString(6),
        Changes = r.GetString(7),
        Reason = r.IsDBNull(8) ? null : r.GetString(8),
        CorrelationId = r.IsDBNull(9) ? null : r.GetString(9),
        ClientIp = r.IsDBNull(10) ? null : r.GetString(10),
        PreviousHash = r.GetString(11),
        Hash = r.GetString(12),
    };
}
