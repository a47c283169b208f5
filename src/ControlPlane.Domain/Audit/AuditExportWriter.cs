using System.Globalization;
using System.Text;

namespace ControlPlane.Domain.Audit;

/// <summary>
/// Writes events as JSON Lines with their chain hashes (the verifiable format: with the signed digests an export
/// can be verified on its own), or as CSV (RFC 4180) for reading, without the key ids and MACs. User text can never start a new record: JSON escapes line breaks, CSV quotes them, and CSV
/// cells that a spreadsheet would run as a formula are prefixed with an apostrophe (stripped again by
/// verifiers: a leading apostrophe is always such a prefix).
/// </summary>
public sealed class AuditExportWriter(TextWriter writer, AuditExportFormat format)
{
    private static readonly string[] Columns =
        ["sequence", "occurredAt", "actorId", "actorName", "action", "entityType", "entityId", "changes", "reason", "correlationId", "clientIp", "previousHash", "hash"];

    public async Task WriteHeaderAsync()
    {
        if (format == AuditExportFormat.Csv)
            await writer.WriteAsync(string.Join(',', Columns) + "\r\n");
    }

    public async Task WriteAsync(AuditEvent e)
    {
        var time = e.OccurredAtUtc.ToString(AuditChain.TimeFormat, CultureInfo.InvariantCulture);
        if (format == AuditExportFormat.JsonLines)
        {
            var sb = new StringBuilder("{\"sequence\":").Append(e.Sequence.ToString(CultureInfo.InvariantCulture));
            Field(sb, "occurredAt", time);
            Field(sb, "actorId", e.ActorId);
            Field(sb, "actorName", e.ActorName);
            Field(sb, "action", e.Action);
            Field(sb, "entityType", e.EntityType);
            Field(sb, "entityId", e.EntityId);
            sb.Append(",\"changes\":").Append(e.Changes);
            Field(sb, "reason", e.Reason);
            Field(sb, "correlationId", e.CorrelationId);
            Field(sb, "clientIp", e.ClientIp);
            Field(sb, "keyId", e.KeyId);
            Field(sb, "callerCorrelationId", e.CallerCorrelationId);
            Field(sb, "previousHash", e.PreviousHash);
            Field(sb, "hash", e.Hash);
            Field(sb, "mac", e.Mac);
            await writer.WriteAsync(sb.Append("}\n").ToString());
            return;
        }
        string?[] cells = [e.Sequence.ToString(CultureInfo.InvariantCulture), time, e.ActorId, e.ActorName, e.Action, e.EntityType,
            e.EntityId, e.Changes, e.Reason, e.CorrelationId, e.ClientIp, e.PreviousHash, e.Hash];
        await writer.WriteAsync(string.Join(',', cells.Select(Cell)) + "\r\n");
    }

    private static void Field(StringBuilder sb, string name, string? value) =>
        AuditChain.AppendString(sb.Append(",\"").Append(name).Append("\":"), value);

    /// <summary>An RFC 4180 cell; formula-like text is neutralized. Null and empty both export as an empty cell.</summary>
    public static string Cell(string? value)
    {
        if (string.IsNullOrEmpty(value))
            return "";
        if (value[0] is '=' or '+' or '-' or '@' or '\t' or '\r' or '\'')
            value = "'" + value;
        return value.IndexOfAny([',', '"', '\r', '\n']) >= 0 ? "\"" + value.Replace("\"", "\"\"") + "\"" : value;
    }
}
