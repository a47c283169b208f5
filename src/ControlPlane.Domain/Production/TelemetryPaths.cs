using System.Globalization;

namespace ControlPlane.Domain.Production;

/// <summary>
/// The layout of telemetry files, Hive-style so that Spark, Trino and DuckDB read the partitions as columns:
/// <c>telemetry/model={name}/kind={predictions|actuals}/date={yyyy-MM-dd}/hour={HH}/segment-{id}.parquet</c>.
/// Model names are already limited to letters, digits, '-', '_' and '.', so they need no escaping in a path.
/// </summary>
public static class TelemetryPaths
{
    public const string Root = "telemetry";

    public static string Segment(string modelName, TelemetryKind kind, DateTime hourUtc, Guid segmentId) =>
        string.Create(CultureInfo.InvariantCulture,
            $"{Hour(modelName, kind, hourUtc)}/segment-{segmentId:N}.parquet");

    public static string Hour(string modelName, TelemetryKind kind, DateTime hourUtc) =>
        string.Create(CultureInfo.InvariantCulture,
            $"{Model(modelName)}/kind={KindName(kind)}/date={hourUtc:yyyy-MM-dd}/hour={hourUtc:HH}");

    public static string Model(string modelName) => $"{Root}/model={modelName}";

    public static string KindName(TelemetryKind kind) => kind switch
    {
        TelemetryKind.Predictions => "predictions",
        TelemetryKind.Actuals => "actuals",
        _ => throw new ArgumentOutOfRangeException(nameof(kind), kind, null),
    };

    /// <summary>
    /// The path itself when it names a file under <c>telemetry/</c>: relative, '/'-separated, no empty, '.' or '..'
    /// segments (a blob service would collapse those, and a file system would follow them out of the store).
    /// </summary>
    public static string RequireFile(string path)
    {
        var segments = path.Split('/');
        return segments.Length >= 2 && segments[0] == Root && segments.All(IsPlainSegment)
            ? path
            : throw new ArgumentException($"'{path}' is not a telemetry path.", nameof(path));
    }

    /// <summary>A listing prefix: <c>telemetry</c> or a folder under it, always ending in '/', so model "a" never lists model "ab".</summary>
    public static string RequireFolder(string prefix)
    {
        var trimmed = prefix.TrimEnd('/');
        var segments = trimmed.Split('/');
        return segments[0] == Root && segments.All(IsPlainSegment)
            ? trimmed + "/"
            : throw new ArgumentException($"'{prefix}' is not a telemetry folder.", nameof(prefix));
    }

    private static bool IsPlainSegment(string segment) =>
        segment is not ("" or "." or "..") && segment.IndexOfAny(['\\', '\0']) < 0;

    /// <summary>The hour a timestamp falls in (UTC, truncated).</summary>
    public static DateTime HourOf(DateTime utc) => new(utc.Ticks - utc.Ticks % TimeSpan.TicksPerHour, DateTimeKind.Utc);
}
