namespace ControlPlane.Domain.Audit;

/// <summary>
/// The signed digests read from the digest file, up to the first bad line. <see cref="Problem"/> names a bad
/// line (tampering: verification fails); <see cref="Missing"/> means there was no file to read.
/// </summary>
public sealed record AuditAnchors(string Source, IReadOnlyList<AuditDigestEntry> Entries, string? Problem, bool Missing)
{
    public static async Task<AuditAnchors> LoadAsync(string path, AuditDigestSigner signer, CancellationToken ct = default)
    {
        if (!File.Exists(path))
            return new AuditAnchors(path, [], null, Missing: true);
        var entries = new List<AuditDigestEntry>();
        var previous = AuditDigestLine.Genesis;
        var number = 0;
        try
        {
            foreach (var line in await File.ReadAllLinesAsync(path, ct))
            {
                number++;
                if (string.IsNullOrWhiteSpace(line))
                    continue;
                if (AuditDigestLine.Parse(line, previous, signer, out var problem) is not { } entry)
                    return new AuditAnchors(path, entries, $"Digest line {number} of {Path.GetFileName(path)} is bad: {problem}.", false);
                if (entries.Count > 0 && entry.Sequence <= entries[^1].Sequence)
                    return new AuditAnchors(path, entries, $"Digest line {number} of {Path.GetFileName(path)} is bad: it anchors event {entry.Sequence}, not after {entries[^1].Sequence}.", false);
                entries.Add(entry);
                previous = AuditDigestLine.HashOf(line);
            }
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return new AuditAnchors(path, entries, $"The digest file {path} could not be read: {e.Message}", false);
        }
        return new AuditAnchors(path, entries, null, false);
    }
}
