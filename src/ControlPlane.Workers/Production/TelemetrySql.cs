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
        SELECT {Quote(C.PredictionId)}, {LastActual("")} AS last
        FROM {source}{(where is null ? "" : $" WHERE {where}")}
        GROUP BY ALL
        """;

    /// <summary>
    /// The predictions of <paramref name="predictions"/> (a query) that have an actual in <paramref name="actuals"/> (a
    /// relation): id, score, label and value with the last received actual as <c>_actual</c> and <c>_actual_value</c>.
    /// One join and one grouping per (id, variant): the predictions are already one row each (a shadow shares its
    /// primary's id), so their columns are taken as they are.
    /// </summary>
    public static string LabelledRows(string predictions, string actuals)
    {
        var (id, variant) = (Quote(C.PredictionId), Quote(C.Variant));
        var last = LastActual("a.");
        return $"""
            SELECT {id}, {Quote(C.Score)}, {Quote(C.Label)}, {Quote(C.Value)}, last.actual AS _actual, last.value AS _actual_value FROM (
                SELECT p.{id}, p.{variant}, any_value(p.{Quote(C.Score)}) AS {Quote(C.Score)}, any_value(p.{Quote(C.Label)}) AS {Quote(C.Label)},
                    any_value(p.{Quote(C.Value)}) AS {Quote(C.Value)}, {last} AS last
                FROM ({predictions}) p JOIN {actuals} a ON a.{id} = p.{id}
                GROUP BY p.{id}, p.{variant})
            WHERE last.actual IS NOT NULL
            """;
    }

    /// <summary>The aggregate that keeps an id's last received actual (by <c>received_at</c>) as a struct of actual and value.</summary>
    private static string LastActual(string qualifier) =>
        $"arg_max(struct_pack(actual := {qualifier}{Quote(C.Actual)}, value := {qualifier}{Quote(C.ActualValue)}), {qualifier}{Quote(C.ReceivedAt)})";
}
