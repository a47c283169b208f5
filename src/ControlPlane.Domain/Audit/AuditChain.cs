using System.Buffers;
using System.Security.Cryptography;
using System.Text;

namespace ControlPlane.Domain.Audit;

/// <summary>
/// The canonical form and hash of an audit event (documented in docs/audit.md so an outside script can
/// recompute it): <c>Hash = SHA-256(UTF-8(canonical) ‖ PreviousHash)</c>, lowercase hex, where canonical is the
/// JSON array <c>[sequence,"occurredAt",actorId,actorName,action,entityType,entityId,changes,reason,correlationId,clientIp]</c>
/// with no whitespace, time as <c>yyyy-MM-ddTHH:mm:ss.fffffffZ</c>, null for absent values, strings escaped
/// as Python's <c>json.dumps(ensure_ascii=False)</c> does, and <c>changes</c> inserted verbatim as stored.
/// Keyed events (<see cref="AuditEvent.KeyId"/> set) append <c>,keyId,callerCorrelationId</c> to the array, so
/// stripping a key id changes the hash. The MAC (<see cref="ComputeMac"/>) is kept beside the public hash: anyone
/// can recompute the hash chain, only the key holder can recompute the MACs.
/// </summary>
public static class AuditChain
{
    public const string GenesisHash = "0000000000000000000000000000000000000000000000000000000000000000";
    public const string TimeFormat = "yyyy-MM-dd'T'HH:mm:ss.fffffff'Z'";

    public static string Canonicalize(AuditEvent e) => Write(e).ToString();

    public static string Canonicalize(long sequence, DateTime occurredAtUtc, string? actorId, string actorName, string action,
        string? entityType, string? entityId, string changes, string? reason, string? correlationId, string? clientIp,
        string? keyId = null, string? callerCorrelationId = null) =>
        Canonicalize(new AuditEvent
        {
            Sequence = sequence, OccurredAtUtc = occurredAtUtc, ActorId = actorId, ActorName = actorName, Action = action,
            EntityType = entityType, EntityId = entityId, Changes = changes, Reason = reason, CorrelationId = correlationId, ClientIp = clientIp,
            KeyId = keyId, CallerCorrelationId = callerCorrelationId,
        });

    public static string ComputeHash(AuditEvent e)
    {
        Span<byte> hash = stackalloc byte[SHA256.HashSizeInBytes];
        Hash(Write(e).Written, e.PreviousHash, hash);
        return Convert.ToHexStringLower(hash);
    }

    public static string ComputeHash(string canonical, string previousHash)
    {
        Span<byte> hash = stackalloc byte[SHA256.HashSizeInBytes];
        Hash(canonical, previousHash, hash);
        return Convert.ToHexStringLower(hash);
    }

    /// <summary>Whether the stored hash is the hash of the stored content (no allocation on the verification hot path).</summary>
    public static bool HashMatches(AuditEvent e)
    {
        Span<byte> hash = stackalloc byte[SHA256.HashSizeInBytes];
        Hash(Write(e).Written, e.PreviousHash, hash);
        Span<char> hex = stackalloc char[SHA256.HashSizeInBytes * 2];
        Convert.TryToHexStringLower(hash, hex, out _);
        return hex.SequenceEqual(e.Hash);
    }

    /// <summary>Appends a JSON string (or null) escaped exactly like Python's json.dumps(ensure_ascii=False).</summary>
    public static StringBuilder AppendString(StringBuilder sb, string? value) =>
        sb.Append(JsonTextWriter.Rent().String(value).Written);

    private static JsonTextWriter Write(AuditEvent e) => JsonTextWriter.Rent()
        .Raw('[').Number(e.Sequence).Raw(',')
        .Time(e.OccurredAtUtc).Raw(',')
        .String(e.ActorId).Raw(',')
        .String(e.ActorName).Raw(',')
        .String(e.Action).Raw(',')
        .String(e.EntityType).Raw(',')
        .String(e.EntityId).Raw(',')
        .Raw(e.Changes).Raw(',')
        .String(e.Reason).Raw(',')
        .String(e.CorrelationId).Raw(',')
        .String(e.ClientIp).Keyed(e);

    private static JsonTextWriter Keyed(this JsonTextWriter json, AuditEvent e) => e.KeyId is null
        ? json.Raw(']')
        : json.Raw(',').String(e.KeyId).Raw(',').String(e.CallerCorrelationId).Raw(']');

    /// <summary>Lowercase hex HMAC-SHA256 of the event's hash under the chain key.</summary>
    public static string ComputeMac(ReadOnlySpan<byte> key, string hash)
    {
        Span<byte> mac = stackalloc byte[HMACSHA256.HashSizeInBytes];
        HMACSHA256.HashData(key, Encoding.ASCII.GetBytes(hash), mac);
        return Convert.ToHexStringLower(mac);
    }

    private static void Hash(ReadOnlySpan<char> canonical, string previousHash, Span<byte> destination)
    {
        var length = Encoding.UTF8.GetMaxByteCount(canonical.Length) + previousHash.Length;
        var buffer = ArrayPool<byte>.Shared.Rent(length);
        try
        {
            var written = Encoding.UTF8.GetBytes(canonical, buffer);
            written += Encoding.ASCII.GetBytes(previousHash, buffer.AsSpan(written));
            SHA256.HashData(buffer.AsSpan(0, written), destination);
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }
}
