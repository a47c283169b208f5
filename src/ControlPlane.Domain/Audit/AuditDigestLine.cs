using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;

namespace ControlPlane.Domain.Audit;

public sealed record AuditDigestEntry(long Sequence, string Hash, DateTime UtcTime);

/// <summary>
/// One line of the digest file: <c>{"sequence":N,"hash":"…","utcTime":"…","previous":"…","signature":"…"}</c>.
/// The signature (ECDSA P-256, SHA-256, DER, base64) covers <see cref="Payload"/>; <c>previous</c> is the SHA-256
/// of the previous line's text (64 zeros for the first), so a removed or reordered line breaks the digest chain.
/// </summary>
public static class AuditDigestLine
{
    public const string Genesis = AuditChain.GenesisHash;

    public static string Payload(long sequence, string hash, string utcTime, string previous) =>
        $"controlplane-audit-digest\n{sequence.ToString(CultureInfo.InvariantCulture)}\n{hash}\n{utcTime}\n{previous}";

    public static string Format(AuditDigestEntry entry, string previous, AuditDigestSigner signer)
    {
        var time = entry.UtcTime.ToString(AuditChain.TimeFormat, CultureInfo.InvariantCulture);
        return JsonSerializer.Serialize(new
        {
            sequence = entry.Sequence,
            hash = entry.Hash,
            utcTime = time,
            previous,
            signature = signer.Sign(Payload(entry.Sequence, entry.Hash, time, previous)),
        });
    }

    /// <summary>What the next line's <c>previous</c> must be.</summary>
    public static string HashOf(string line) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(line.TrimEnd('\r', '\n'))));

    /// <summary>Parses and checks one line; null with <paramref name="problem"/> set when it is not a valid, signed, chained digest.</summary>
    public static AuditDigestEntry? Parse(string line, string expectedPrevious, AuditDigestSigner signer, out string? problem)
    {
        try
        {
            using var doc = JsonDocument.Parse(line);
            var root = doc.RootElement;
            var sequence = root.GetProperty("sequence").GetInt64();
            var hash = root.GetProperty("hash").GetString() ?? "";
            var time = root.GetProperty("utcTime").GetString() ?? "";
            var previous = root.TryGetProperty("previous", out var p) ? p.GetString() : null;
            var signature = root.TryGetProperty("signature", out var s) ? s.GetString() : null;
            problem = signature is null ? "it is not signed"
                : previous != expectedPrevious ? "it does not chain to the line before it (a digest was removed, reordered or inserted)"
                : !signer.Verify(Payload(sequence, hash, time, previous), signature) ? "its signature is not valid (it was edited or signed with another key)"
                : null;
            return problem is null
                ? new AuditDigestEntry(sequence, hash, DateTime.ParseExact(time, AuditChain.TimeFormat, CultureInfo.InvariantCulture, DateTimeStyles.AdjustToUniversal | DateTimeStyles.AssumeUniversal))
                : null;
        }
        catch (Exception e) when (e is JsonException or KeyNotFoundException or FormatException or InvalidOperationException)
        {
            problem = "it is not a digest entry";
            return null;
        }
    }
}
