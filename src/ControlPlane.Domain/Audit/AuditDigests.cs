using ControlPlane.Domain.Persistence;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace ControlPlane.Domain.Audit;

/// <summary>
/// Appends a signed digest of the chain head to a JSON Lines file outside the database (<see cref="AuditDigestLine"/>):
/// the anchor that exposes a rewritten history, a truncated tail or a chain rebuilt from scratch.
/// </summary>
public sealed class AuditDigests(
    IDbContextFactory<ControlPlaneDbContext> contexts,
    IOptions<AuditOptions> options,
    DatabaseSettings database,
    AuditDigestSigner signer,
    AuditLog log)
{
    public const string FileName = "audit-digest-chain.jsonl";

    public string DigestFile => Path.Combine(Path.GetFullPath(options.Value.DigestDirectory, database.DataDirectory), FileName);

    public AuditDigestSigner Signer => signer;

    public Task<AuditAnchors> LoadAsync(string? path = null, CancellationToken ct = default) =>
        AuditAnchors.LoadAsync(path ?? DigestFile, signer, ct);

    /// <summary>
    /// Records the digest's own event and signs the head it makes, in one transaction under the chain-head lock, so
    /// concurrent digests queue up and each names the line before it. Nothing new since the last digest: no new line.
    /// </summary>
    public async Task<AuditDigestEntry> WriteAsync(CancellationToken ct = default)
    {
        await using var db = await contexts.CreateDbContextAsync(ct);
        var head = await db.AuditEvents.AsNoTracking().OrderByDescending(e => e.Sequence)
            .Select(e => new { e.Sequence, e.Hash, e.OccurredAtUtc, e.Action, e.KeyId }).FirstOrDefaultAsync(ct);
        if (head is { Action: AuditActions.AuditDigestWritten, KeyId: not null })
            return new AuditDigestEntry(head.Sequence, head.Hash, head.OccurredAtUtc);

        await using var tx = await db.Database.BeginTransactionAsync(ct);
        var digestEvent = log.Create(AuditActions.AuditDigestWritten, reason: $"Signed digest appended to {FileName}");
        db.AuditEvents.Add(digestEvent);
        await db.SaveChangesAsync(ct); // holds the chain-head lock until commit
        var entry = new AuditDigestEntry(digestEvent.Sequence, digestEvent.Hash, digestEvent.OccurredAtUtc);
        var path = DigestFile;
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        var last = LastLine(path);
        var line = AuditDigestLine.Format(entry, last is null ? AuditDigestLine.Genesis : AuditDigestLine.HashOf(last), signer) + "\n";
        await using (var stream = new FileStream(path, FileMode.Append, FileAccess.Write, FileShare.Read, 4096, FileOptions.WriteThrough))
        {
            await stream.WriteAsync(System.Text.Encoding.UTF8.GetBytes(line), ct);
            stream.Flush(flushToDisk: true);
        }
        await tx.CommitAsync(ct);
        return entry;
    }

    private static string? LastLine(string path)
    {
        if (!File.Exists(path))
            return null;
        using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite);
        var size = (int)Math.Min(stream.Length, 64 * 1024);
        stream.Seek(-size, SeekOrigin.End);
        var buffer = new byte[size];
        stream.ReadExactly(buffer);
        var lines = System.Text.Encoding.UTF8.GetString(buffer).Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        return lines.Length == 0 ? null : lines[^1];
    }
}
