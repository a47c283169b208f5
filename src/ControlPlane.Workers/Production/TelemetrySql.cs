using C = ControlPlane.Domain.Production.TelemetryColumns;

namespace ControlPlane.Workers.Production;

/// <summary>
/// The DuckDB text of the telemetry readers (production windows, champion/challenger comparisons), so that both apply
/// <see cref="C"/>'s dedup rules the same way: the first-received prediction per (id, variant), the last-received actual.
/// </summary>
internal static class TelemetrySql
{
    public static string Quote(string identifier) => "\"" + identifier.Replace("\"", "\"\"", StringComparison.Ordinal) + "\"";

    /// <summary>The segment files as one relation (columns matched by name: older segments may lack optional ones).</summary>
    public static string ReadParquet(IReadOnlyList<string> files) =>
        $"read_parquet([{string.Join(", ", files.Select(TelemetryFilter.Sql))}], union_by_name = true, hive_partitioning = false)";

    /// <summary>Keeps each prediction's first-received row; a shadow logs its primary's id, so an id is unique per variant.</summary>
    public static string FirstReceivedPrediction { get; } =
        $"QUALIFY row_number() OVER (PARTITION BY {Quote(C.PredictionId)}, {Quote(C.Variant)} ORDER BY {Quote(C.ReceivedAt)}) = 1";

    /// <summary>Each prediction id's last-received actual, as <c>last.actual</c> and <c>last.value</c>, from one row.</summary>
    public static string LastReceivedActual(string source, string? where = null) => $"""
        SELECT {Quote(C.PredictionId)}, arg_max(struct_pack(actual := {Quote(C.Actual)}, value := {Quote(C.ActualValue)}), {Quote(C.ReceivedAt)}) AS last
        FROM {source}{(where is null ? "" : $" WHERE {where}")}
        GROUP BY ALL
        """;
}
