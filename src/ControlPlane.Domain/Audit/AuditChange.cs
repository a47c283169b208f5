using System.Text;

namespace ControlPlane.Domain.Audit;

/// <summary>One changed field: <c>old</c> is null for inserts, <c>new</c> is null for deletes.</summary>
public sealed record AuditChange(string EntityType, string EntityId, string Field, string? Old, string? New)
{
    public const string Redacted = "[redacted]";

    public static string ToJson(IEnumerable<AuditChange> changes)
    {
        var sb = new StringBuilder("[");
        var first = true;
        foreach (var c in changes)
        {
            if (!first)
                sb.Append(',');
            first = false;
            sb.Append('[');
            AuditChain.AppendString(sb, c.EntityType).Append(',');
            AuditChain.AppendString(sb, c.EntityId).Append(',');
            AuditChain.AppendString(sb, c.Field).Append(',');
            AuditChain.AppendString(sb, c.Old).Append(',');
            AuditChain.AppendString(sb, c.New).Append(']');
        }
        return sb.Append(']').ToString();
    }

    public static IReadOnlyList<AuditChange> FromJson(string json)
    {
        using var doc = System.Text.Json.JsonDocument.Parse(json);
        return doc.RootElement.EnumerateArray()
            .Select(a => new AuditChange(a[0].GetString()!, a[1].GetString()!, a[2].GetString()!, a[3].GetString(), a[4].GetString()))
            .ToList();
    }
}
