namespace ControlPlane.Domain.Production.Ingest;

/// <summary>The bodies ingest reads, by Content-Type.</summary>
public enum IngestFormat
{
    /// <summary>application/json: an array of records.</summary>
    Json,
    /// <summary>application/x-ndjson or application/jsonl: one record per line.</summary>
    JsonLines,
    /// <summary>application/vnd.apache.arrow.stream: an Arrow IPC stream, columns as in <see cref="TelemetryColumns"/>.</summary>
    Arrow,
}

public static class IngestFormats
{
    public const string Json = "application/json", NdJson = "application/x-ndjson", JsonLines = "application/jsonl", Arrow = "application/vnd.apache.arrow.stream";

    public static IReadOnlyList<string> MediaTypes { get; } = [Json, NdJson, JsonLines, Arrow];

    /// <summary>The format of a Content-Type header (parameters such as charset ignored), or null when ingest does not read it.</summary>
    public static IngestFormat? Parse(string? contentType)
    {
        var media = (contentType ?? "").Split(';', 2)[0].Trim();
        return media.ToLowerInvariant() switch
        {
            Json => IngestFormat.Json,
            NdJson or JsonLines or "application/x-jsonlines" => IngestFormat.JsonLines,
            Arrow => IngestFormat.Arrow,
            _ => null,
        };
    }
}
