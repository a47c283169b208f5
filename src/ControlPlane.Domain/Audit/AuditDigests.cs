using System.Globalization;
using System.Text.Json;
using ControlPlane.Domain.Persistence;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace ControlPlane.Domain.Audit;

public sealed record AuditDigestEntry(long Sequence, string Hash, DateTime UtcTime);

/// <summary>
/// Appends <c>{sequence, hash, utcTime}</c> of the chain head to a JSON Lines file outside the database:
/// the anchor that exposes a truncated tail or a chain rebuilt from scratch.
/// </summary>
public sealed class AuditDigests(
    IDbContextFactory<ControlPlaneDbContext> contexts,
    IOptions<AuditOptions> options,
    DatabaseSettings database,
    AuditLog log,
    TimeProvider time)
{
    public const string FileName = "audit-digest.jsonl";

    public string DigestFile => Path.Combine(Path.GetFullPath(options.Value.DigestDirectory, database.DataDirectory), FileName);

    /// <summary>Records the current head (after logging the digest itself, so the digest covers its own event).</summary>
    public async Task<AuditDigestEntry?> WriteAsync(CancellationToken ct = default)
    {
        await log.RecordAsync(AuditActions.AuditDigestWritten, reason: $"Digest appended to {FileName}", ct: ct);
        await using var db = await contexts.CreateDbContextAsync(ct);
        var head = await db.AuditEvents.AsNoTracking().OrderByDescending(e => e.Sequence)
            .Select(e => new { e.Sequence, e.Hash }).FirstOrDefaultAsync(ct);
        if (head is null)
            return null;
        var entry = new AuditDigestEntry(head.Sequence, head.Hash, time.GetUtcNow().UtcDateTime);
        Directory.CreateDirectory(Path.GetDirectoryName(DigestFile)!);
        var line = JsonSerializer.Serialize(new
        {
            sequence = entry.Sequence,
            hash = entry.Hash,
            utcTime = entry.UtcTime.ToString(AuditChain.TimeFormat, CultureInfo.InvariantCulture),
        }) + "\n";
        await using (var stream = new FileStream(DigestFile, FileMode.Append, FileAccess.Write, FileShare.Read, 4096, FileOptions.WriteThrough))
        {
            await stream.WriteAsync(System.Text.Encoding.UTF8.GetBytes(line), ct);
            stream.Flush(flushToDisk: true);
        }
        return entry;
    }

    public static async Task<IReadOnlyList<AuditDigestEntry>> ReadAsync(string path, CancellationToken ct = default)
    {
        if (!File.Exists(path))
            throw new FileNotFoundException($"Digest file {path} does not exist.", path);
        var entries = new List<AuditDigestEntry>();
        var number = 0;
        foreach (var line in await File.ReadAllLinesAsync(path, ct))
        {
            number++;
            if (string.IsNullOrWhiteSpace(line))
                continue;
            try
            {
                using var doc = JsonDocument.Parse(line);
                var root = doc.RootElement;
                entries.Add(new AuditDigestEntry(root.GetProperty("sequence").GetInt64(), root.GetProperty("hash").GetString()!,
                    DateTime.Parse(root.GetProperty("utcTime").GetString()!, CultureInfo.InvariantCulture, DateTimeStyles.AdjustToUniversal)));
            }
            catch (Exception e) when (e is JsonException or KeyNotFoundException or FormatException or InvalidOperationException)
            {
                throw new InvalidDataException($"{path} line {number} is not a digest entry: {e.Message}");
            }
        }
        return entries;
    }
}
