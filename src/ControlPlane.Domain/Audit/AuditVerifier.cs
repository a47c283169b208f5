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
        "\"Changes\", \"Reason\", \"CorrelationId\", \"ClientIp\", \"PreviousHash\", \"Hash\" FROM \"AuditEvents\" WHERE \"Sequence\" BETWEEN @from AND @to ORDER BY \"Sequence\"";

    /// <summary>Rows per worker range; each range is read on its own connection and verified in parallel.</summary>
    public int RangeSize { get; init; } = 100_000;

    public async Task<AuditVerification> VerifyAsync(IReadOnlyList<AuditDigestEntry>? digests = null, CancellationToken ct = default)
    {
        var anchors = (digests ?? []).ToDictionary(d => d.Sequence, d => d.Hash);
        long max;
        await using (var db = await contexts.CreateDbContextAsync(ct))
            max = await db.AuditEvents.MaxAsync(e => (long?)e.Sequence, ct) ?? 0;

        // Each hash covers only its own row, so ranges verify independently; only the links between ranges are joined here.
        var ranges = new List<(long From, long To)>();
        for (long from = 1; from <= max; from += RangeSize)
            ranges.Add((from, Math.Min(max, from + RangeSize - 1)));
        using var gate = new SemaphoreSlim(Environment.ProcessorCount);
        var results = await Task.WhenAll(ranges.Select(r => Task.Run(async () =>
        {
            await gate.WaitAsync(ct);
            try { return await VerifyRangeAsync(r.From, r.To, anchors, ct); }
            finally { gate.Release(); }
        }, ct)));

        long checkedCount = 0;
        var previous = AuditChain.GenesisHash;
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
        }
        var beyond = anchors.Keys.Where(s => s > max).DefaultIfEmpty().Max();
        if (beyond > 0)
            return Broken(max + 1, $"The digest records event {beyond}, but the chain ends at {max}: the tail was truncated.", checkedCount, max, previous);
        return new AuditVerification(true, checkedCount, null, null, max, previous);
    }

    private sealed record RangeResult(long From, long Checked, string? FirstPreviousHash, string LastHash, (long Sequence, string Problem)? Broken);

    private async Task<RangeResult> VerifyRangeAsync(long from, long to, Dictionary<long, string> anchors, CancellationToken ct)
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
        string? firstPrevious = null;
        var previous = "";
        while (await reader.ReadAsync(ct))
        {
            var e = Read(reader);
            checkedCount++;
            (long, string)? problem =
                e.Sequence != expected ? (expected, $"Event {expected} is missing (the next stored event is {e.Sequence}).")
                : e.Sequence != from && !string.Equals(e.PreviousHash, previous, StringComparison.Ordinal) ? (e.Sequence, LinkProblem(e.Sequence))
                : !AuditChain.HashMatches(e) ? (e.Sequence, $"Event {e.Sequence} was altered: its content does not match its hash.")
                : anchors.TryGetValue(e.Sequence, out var anchored) && !string.Equals(anchored, e.Hash, StringComparison.Ordinal)
                    ? (e.Sequence, $"Event {e.Sequence} differs from the digest written at the time: the chain was rewritten.")
                : null;
            if (e.Sequence == from)
                firstPrevious = e.PreviousHash;
            if (problem is not null)
                return new RangeResult(from, checkedCount, firstPrevious, previous, problem);
            previous = e.Hash;
            expected++;
        }
        return expected <= to
            ? new RangeResult(from, checkedCount, firstPrevious, previous, (expected, $"Event {expected} is missing (the next stored event is beyond {to})."))
            : new RangeResult(from, checkedCount, firstPrevious, previous, null);
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
        new(false, checkedCount, sequence, problem, last, lastHash);

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
    };
}
