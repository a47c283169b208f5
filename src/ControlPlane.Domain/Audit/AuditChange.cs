namespace ControlPlane.Domain.Audit;

/// <summary>One changed field: <c>old</c> is null for inserts, <c>new</c> is null for deletes.</summary>
public sealed record AuditChange(string EntityType, string EntityId, string Field, string? Old, string? New)
{
    public const string Redacted = "[redacted]";

    public static string ToJson(IEnumerable<AuditChange> changes)
    {
        var json = JsonTextWriter.Rent().Raw('[');
        var first = true;
        foreach (var c in changes)
        {
            if (!first)
                json.Raw(',');
            first = false;
            json.Raw('[').String(c.EntityType).Raw(',').String(c.EntityId).Raw(',').String(c.Field).Raw(',').String(c.Old).Raw(',').String(c.New).Raw(']');
        }
        return json.Raw(']').ToString();
    }

    public static IReadOnlyList<AuditChange> FromJson(string json)
    {
        using var doc = System.Text.Json.JsonDocument.Parse(json);
        return doc.RootElement.EnumerateArray()
            .Select(a => new AuditChange(a[0].GetString()!, a[1].GetString()!, a[2].GetString()!, a[3].GetString(), a[4].GetString()))
            .ToList();
    }
}
