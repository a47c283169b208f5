using System.Data.Common;
using ControlPlane.Domain.Persistence;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace ControlPlane.Domain.Audit;

/// <summary>
/// Recomputes the chain from the first event, streamed row by row, and checks each keyed event's MAC. Finds the
/// first edited, forged, deleted or reordered event and rows outside the numbered range; with the signed digests
/// (anchors kept outside the database) also a truncated or rewritten tail and a removed digest.
/// </summary>
public sealed class AuditVerifier(IDbContextFactory<ControlPlaneDbContext> contexts, AuditKeyRing keys, IOptions<AuditOptions> options, TimeProvider time)
{
    private const string Select =
        "SELECT \"Sequence\", \"OccurredAtUtc\", \"ActorId\", \"ActorName\", \"Action\", \"EntityType\", \"EntityId\", " +
        "\"Changes\", \"Reason\", \"CorrelationId\", \"ClientIp\", \"PreviousHash\", \"Hash\", \"KeyId\", \"Mac\", \"CallerCorrelationId\" " +
        "FROM \"AuditEvents\" WHERE \"Sequence\" BETWEEN @from AND @to ORDER BY \"Sequence\"";

    /// <summary>Rows per worker range; each range is read on its own connection and verified in parallel.</summary>
    public int RangeSize { get; init; } = 100_000;

    /// <summary>Verifies the chain, and against <paramref name="anchors"/> (the signed digests) unless null.</summary>
    public async Task<AuditVerification> VerifyAsync(AuditAnchors? anchors, CancellationToken ct = default)
    {
        long max, count, min;
        long? firstKeyed;
        await using (var db = await contexts.CreateDbContextAsync(ct))
        {
            max = await db.AuditEvents.MaxAsync(e => (long?)e.Sequence, ct) ?? 0;
            min = await db.AuditEvents.MinAsync(e => (long?)e.Sequence, ct) ?? 1;
            count = await db.AuditEvents.LongCountAsync(ct);
            firstKeyed = await db.AuditEvents.Where(e => e.KeyId != null).MinAsync(e => (long?)e.Sequence, ct);
        }
        // The scan below reads 1..max and finds gaps; rows below 1 it would never see.
        if (min < 1)
            return Broken(min, $"{count} rows are stored for sequences 1..{max}: rows were inserted outside the chain (sequence {min}).", 0, 0, AuditChain.GenesisHash);

        var anchorMap = (anchors?.Entries ?? []).ToDictionary(d => d.Sequence, d => d.Hash);
        // A digest event without its line means a line was removed; only checked against a whole, readable file.
        var context = new RangeContext(anchorMap, firstKeyed ?? long.MaxValue, anchors is { Missing: false, Problem: null });
        // Each hash covers only its own row, so ranges verify independently; only the links between ranges are joined here.
        var ranges = new List<(long From, long To)>();
        for (long from = 1; from <= max; from += RangeSize)
            ranges.Add((from, Math.Min(max, from + RangeSize - 1)));
        using var gate = new SemaphoreSlim(Environment.ProcessorCount);
        var results = await Task.WhenAll(ranges.Select(r => Task.Run(async () =>
        {
            await gate.WaitAsync(ct);
            try { return await VerifyRangeAsync(r.From, r.To, context, ct); }
            finally { gate.Release(); }
        }, ct)));

        long checkedCount = 0;
        var previous = AuditChain.GenesisHash;
        string? headKey = null;
        foreach (var range in results)
        {
            checkedCount += range.Checked;
            if (range.Broken is { } b && b.Sequence == range.From && range.FirstPreviousHash is null)
                return Broken(b.Sequence, b.Problem, checkedCount, range.From - 1, previous);
            if (range.FirstPreviousHash is not null && !string.Equals(range.FirstPreviousHash, previous, StringComparison.Ordinal))
                return Broken(range.From, LinkProblem(range.From), checkedCount, range.From - 1, previous);
            if (range.Broken is { } broken)
                return Broken(broken.Sequence, broken.Problem, checkedCount, broken.Sequence - 1, range.LastHash);
            previous = range.LastHash;
            headKey = range.LastKeyId;
        }
        if (max > 0 && headKey is null)
            return Broken(max, $"Event {max}, the newest, carries no chain key although this installation keys the chain with '{keys.ActiveKeyId}': the chain was rebuilt without the key.", checkedCount, max, previous);
        return Anchor(anchors, checkedCount, max, previous);
    }

    private AuditVerification Anchor(AuditAnchors? anchors, long checkedCount, long max, string headHash)
    {
        if (anchors?.Problem is { } problem)
            return new AuditVerification(AuditVerification.BrokenState, checkedCount, null, problem, max, headHash);
        var beyond = anchors?.Entries.Where(d => d.Sequence > max).Select(d => d.Sequence).DefaultIfEmpty().Max() ?? 0;
        if (beyond > 0)
            return Broken(max + 1, $"The digest records event {beyond}, but the chain ends at {max}: the tail was truncated.", checkedCount, max, headHash);
        if (max == 0)
            return new AuditVerification(AuditVerification.IntactState, 0, null, null, 0, headHash);
        if (anchors is null)
            return Unanchored("it was checked without the signed digests, so nothing outside the database vouches for it.");
        if (anchors.Entries.Count == 0)
            return Unanchored(anchors.Missing ? $"there is no digest file at {anchors.Source}, so nothing outside the database vouches for it." : "the digest file holds no digest yet.");
        var last = anchors.Entries[^1];
        var window = 2 * options.Value.DigestInterval;
        // Events after a digest that should long have been followed by another: the digest job stopped, and those
        // events (or a cut of them) have no anchor. Nothing new since the digest is not stale, however old.
        if (last.Sequence < max && time.GetUtcNow().UtcDateTime - last.UtcTime > window)
            return Unanchored($"the newest digest (event {last.Sequence}, {last.UtcTime:u}) is more than two digest intervals ({window.TotalMinutes:0} min) old and events {last.Sequence + 1}..{max} have none.", last.Sequence);
        return new AuditVerification(AuditVerification.IntactState, checkedCount, null, null, max, headHash, last.Sequence);

        AuditVerification Unanchored(string why, long? anchored = null) =>
            new(AuditVerification.UnanchoredState, checkedCount, null, why, max, headHash, anchored);
    }

    private sealed record RangeContext(Dictionary<long, string> Anchors, long FirstKeyed, bool CheckDigestEvents);

    private sealed record RangeResult(long From, long Checked, string? FirstPreviousHash, string LastHash, string? LastKeyId,
        (long Sequence, string Problem)? Broken);

    private async Task<RangeResult> VerifyRangeAsync(long from, long to, RangeContext context, CancellationToken ct)
    {
        await using var db = await contexts.CreateDbContextAsync(ct);
        await db.Database.OpenConnectionAsync(ct);
        await using var command = db.Database.GetDbConnection().CreateCommand();
        command.CommandText = Select;
        command.CommandTimeout = 0;
        AddParameter(command, "@from", from);
        AddParameter(command, "@to", to);
        await using var reader = await command.ExecuteReaderAsync(System.Data.CommandBehavior.SequentialAccess, ct);

        long expected = from, checkedCount = 0;
        string? firstPrevious = null, lastKey = null;
        var previous = "";
        while (await reader.ReadAsync(ct))
        {
            var e = Read(reader);
            checkedCount++;
            var problem = ProblemOf(e, expected, from, previous, context);
            if (e.Sequence == from)
                firstPrevious = e.PreviousHash;
            if (problem is not null)
                return new RangeResult(from, checkedCount, firstPrevious, previous, lastKey, problem);
            previous = e.Hash;
            lastKey = e.KeyId;
            expected++;
        }
        return expected <= to
            ? new RangeResult(from, checkedCount, firstPrevious, previous, lastKey, (expected, $"Event {expected} is missing (the next stored event is beyond {to})."))
            : new RangeResult(from, checkedCount, firstPrevious, previous, lastKey, null);
    }

    private (long, string)? ProblemOf(AuditEvent e, long expected, long from, string previous, RangeContext context)
    {
        if (e.Sequence != expected)
            return (expected, $"Event {expected} is missing (the next stored event is {e.Sequence}).");
        if (e.Sequence != from && !string.Equals(e.PreviousHash, previous, StringComparison.Ordinal))
            return (e.Sequence, LinkProblem(e.Sequence));
        if (!AuditChain.HashMatches(e))
            return (e.Sequence, $"Event {e.Sequence} was altered: its content does not match its hash.");
        if (e.KeyId is null && e.Sequence > context.FirstKeyed)
            return (e.Sequence, $"Event {e.Sequence} carries no chain key, but the chain is keyed from event {context.FirstKeyed}: it was forged or rewritten without the key.");
        if (e.KeyId is not null && keys.Check(e.KeyId, e.Hash, e.Mac) is { } macProblem)
            return (e.Sequence, $"Event {e.Sequence} fails its MAC check: {macProblem}.");
        if (context.Anchors.TryGetValue(e.Sequence, out var anchored) && !string.Equals(anchored, e.Hash, StringComparison.Ordinal))
            return (e.Sequence, $"Event {e.Sequence} differs from the digest written at the time: the chain was rewritten.");
        if (context.CheckDigestEvents && e is { Action: AuditActions.AuditDigestWritten, KeyId: not null } && !context.Anchors.ContainsKey(e.Sequence))
            return (e.Sequence, $"Event {e.Sequence} records a digest that the digest file does not hold: a digest was removed.");
        return null;
    }

    private static string LinkProblem(long sequence) =>
        $"Event {sequence} does not link to event {sequence - 1} (rows were swapped, removed or rewritten).";

    private static void AddParameter(DbCommand command, string name, long value)
    {
        var p = command.CreateParameter();
        p.ParameterName = name;
        p.Value = value;
        command.Parameters.Add(p);
    }

    private static AuditVerification Broken(long sequence, string problem, long checkedCount, long last, string lastHash) =>
        new(AuditVerification.BrokenState, checkedCount, sequence, problem, last, lastHash);

    /// <summary>
    /// SQLite keeps timestamps as text (<c>yyyy-MM-dd HH:mm:ss.FFFFFFF</c>); parsing that fixed layout by hand is
    /// several times faster than the provider's general DateTime.Parse, which dominated verification time.
    /// </summary>
    private static DateTime ReadUtc(DbDataReader r, int ordinal)
    {
        if (r.GetFieldType(ordinal) != typeof(string))
            return DateTime.SpecifyKind(r.GetDateTime(ordinal), DateTimeKind.Utc);
        var text = r.GetString(ordinal);
        return TryParseSqliteTime(text, out var value)
            ? value
            : DateTime.SpecifyKind(DateTime.Parse(text, System.Globalization.CultureInfo.InvariantCulture), DateTimeKind.Utc);
    }

    internal static bool TryParseSqliteTime(ReadOnlySpan<char> s, out DateTime value)
    {
        value = default;
        if (s.Length < 19 || s[4] != '-' || s[7] != '-' || s[10] != ' ' || s[13] != ':' || s[16] != ':')
            return false;
        if (!TryDigits(s[..4], out var year) || !TryDigits(s[5..7], out var month) || !TryDigits(s[8..10], out var day)
            || !TryDigits(s[11..13], out var hour) || !TryDigits(s[14..16], out var minute) || !TryDigits(s[17..19], out var second))
            return false;
        long fractionTicks = 0;
        if (s.Length > 19)
        {
            var fraction = s[20..];
            if (s[19] != '.' || fraction.Length is 0 or > 7 || !TryDigits(fraction, out var digits))
                return false;
            fractionTicks = digits;
            for (var i = fraction.Length; i < 7; i++)
                fractionTicks *= 10;
        }
        if (month is < 1 or > 12 || day < 1 || day > DateTime.DaysInMonth(year, month) || hour > 23 || minute > 59 || second > 59)
            return false;
        value = new DateTime(year, month, day, hour, minute, second, DateTimeKind.Utc).AddTicks(fractionTicks);
        return true;
    }

    private static bool TryDigits(ReadOnlySpan<char> s, out int value)
    {
        value = 0;
        foreach (var c in s)
        {
            if (c is < '0' or > '9')
                return false;
            value = value * 10 + (c - '0');
        }
        return true;
    }

    private static AuditEvent Read(DbDataReader r) => new()
    {
        Sequence = r.GetInt64(0),
        OccurredAtUtc = ReadUtc(r, 1),
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
        KeyId = r.IsDBNull(13) ? null : r.GetString(13),
        Mac = r.IsDBNull(14) ? null : r.GetString(14),
        CallerCorrelationId = r.IsDBNull(15) ? null : r.GetString(15),
    };
}
