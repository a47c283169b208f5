using System.Buffers;
using System.Globalization;
using System.Security.Cryptography;
using System.Text;

namespace ControlPlane.Domain.Audit;

/// <summary>
/// The canonical form and hash of an audit event (documented in docs/audit.md so an outside script can
/// recompute it): <c>Hash = SHA-256(UTF-8(canonical) ‖ PreviousHash)</c>, lowercase hex, where canonical is the
/// JSON array <c>[sequence,"occurredAt",actorId,actorName,action,entityType,entityId,changes,reason,correlationId,clientIp]</c>
/// with no whitespace, time as <c>yyyy-MM-ddTHH:mm:ss.fffffffZ</c>, null for absent values, strings escaped
/// as Python's <c>json.dumps(ensure_ascii=False)</c> does, and <c>changes</c> inserted verbatim as stored.
/// </summary>
public static class AuditChain
{
    public const string GenesisHash = "0000000000000000000000000000000000000000000000000000000000000000";
    public const string TimeFormat = "yyyy-MM-dd'T'HH:mm:ss.fffffff'Z'";

    public static string Canonicalize(AuditEvent e) => Canonicalize(
        e.Sequence, e.OccurredAtUtc, e.ActorId, e.ActorName, e.Action, e.EntityType, e.EntityId, e.Changes, e.Reason, e.CorrelationId, e.ClientIp);

    public static string Canonicalize(long sequence, DateTime occurredAtUtc, string? actorId, string actorName, string action,
        string? entityType, string? entityId, string changes, string? reason, string? correlationId, string? clientIp)
    {
        var sb = new StringBuilder(256 + changes.Length);
        sb.Append('[').Append(sequence.ToString(CultureInfo.InvariantCulture)).Append(',');
        AppendString(sb, DateTime.SpecifyKind(occurredAtUtc, DateTimeKind.Utc).ToString(TimeFormat, CultureInfo.InvariantCulture)).Append(',');
        AppendString(sb, actorId).Append(',');
        AppendString(sb, actorName).Append(',');
        AppendString(sb, action).Append(',');
        AppendString(sb, entityType).Append(',');
        AppendString(sb, entityId).Append(',');
        sb.Append(changes).Append(',');
        AppendString(sb, reason).Append(',');
        AppendString(sb, correlationId).Append(',');
        AppendString(sb, clientIp).Append(']');
        return sb.ToString();
    }

    public static string ComputeHash(AuditEvent e) => ComputeHash(Canonicalize(e), e.PreviousHash);

    public static string ComputeHash(string canonical, string previousHash)
    {
        var length = Encoding.UTF8.GetMaxByteCount(canonical.Length) + previousHash.Length;
        var buffer = ArrayPool<byte>.Shared.Rent(length);
        try
        {
            var written = Encoding.UTF8.GetBytes(canonical, buffer);
            written += Encoding.ASCII.GetBytes(previousHash, buffer.AsSpan(written));
            Span<byte> hash = stackalloc byte[SHA256.HashSizeInBytes];
            SHA256.HashData(buffer.AsSpan(0, written), hash);
            return Convert.ToHexStringLower(hash);
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    /// <summary>A JSON string (or null) escaped exactly like Python's json.dumps(ensure_ascii=False).</summary>
    public static StringBuilder AppendString(StringBuilder sb, string? value)
    {
        if (value is null)
            return sb.Append("null");
        sb.Append('"');
        foreach (var c in value)
        {
            switch (c)
            {
                case '"': sb.Append("\\\""); break;
                case '\\': sb.Append("\\\\"); break;
                case '\b': sb.Append("\\b"); break;
                case '\f': sb.Append("\\f"); break;
                case '\n': sb.Append("\\n"); break;
                case '\r': sb.Append("\\r"); break;
                case '\t': sb.Append("\\t"); break;
                case < ' ': sb.Append("\\u").Append(((int)c).ToString("x4", CultureInfo.InvariantCulture)); break;
                default: sb.Append(c); break;
            }
        }
        return sb.Append('"');
    }
}
