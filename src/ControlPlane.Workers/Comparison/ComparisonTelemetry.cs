using System.Data.Common;
using System.Globalization;
using ControlPlane.Domain.Common;
using DuckDB.NET.Data;
using ControlPlane.Workers.Production;
using C = ControlPlane.Domain.Production.TelemetryColumns;

namespace ControlPlane.Workers.Comparison;

/// <summary>
/// Reads a comparison's rows with an in-memory DuckDB, deduplicated as the windows are (first received prediction
/// per id and variant, last received actual per id): the champion's primary predictions, and the challenger's shadow
/// predictions (the same ids as their primaries) or, without any, its canary predictions. The range is whole hours,
/// so its segments are its rows.
/// </summary>
public static class ComparisonTelemetry
{
    private const string Shadow = "shadow", Canary = "canary", Primary = "primary";

    /// <param name="championVersion">null: the version that served most primary predictions.</param>
    public static async Task<ComparisonRows> ReadAsync(IReadOnlyList<string> predictionFiles, IReadOnlyList<string> actualFiles,
        int? championVersion, int challengerVersion, string memoryLimit, CancellationToken ct)
    {
        if (predictionFiles.Count == 0)
            throw ValidationException.For("from", "No predictions were logged in the range.");
        // Its own spill directory: two in-memory databases of one process would otherwise share (and overwrite) one.
        var spill = Path.Combine(Path.GetTempPath(), "controlplane-duckdb", Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(spill);
        try
        {
            return await ReadAsync(predictionFiles, actualFiles, championVersion, challengerVersion, memoryLimit, spill, ct);
        }
        finally
        {
            try { Directory.Delete(spill, recursive: true); } catch (IOException) { /* only temp disk space */ }
        }
    }

    private static async Task<ComparisonRows> ReadAsync(IReadOnlyList<string> predictionFiles, IReadOnlyList<string> actualFiles,
        int? championVersion, int challengerVersion, string memoryLimit, string spill, CancellationToken ct)
    {
        await using var connection = new DuckDBConnection("DataSource=:memory:");
        await connection.OpenAsync(ct);
        await ExecuteAsync(connection, $"SET TimeZone = 'UTC'; SET memory_limit = {TelemetryFilter.Sql(memoryLimit)}; SET temp_directory = {TelemetryFilter.Sql(spill)};", ct);
        var predictions = TelemetrySql.ReadParquet(predictionFiles);
        var columns = new HashSet<string>(StringComparer.Ordinal);
        await using (var describe = Command(connection, $"DESCRIBE SELECT * FROM {predictions}"))
        await using (var reader = await describe.ExecuteReaderAsync(ct))
            while (await reader.ReadAsync(ct))
                columns.Add(reader.GetString(0));
        string Optional(string name, string type) => columns.Contains(name) ? Q(name) : $"NULL::{type} AS {Q(name)}";
        var kept = string.Join(", ", Q(C.PredictionId), Q(C.Version), Q(C.Variant), Optional(C.Label, "VARCHAR"), Optional(C.Score, "DOUBLE"),
            Optional(C.Value, "DOUBLE"), Optional(C.LatencyMs, "DOUBLE"), Optional(C.Error, "VARCHAR"));
        await ExecuteAsync(connection, $"""
            CREATE TEMP TABLE p AS SELECT {kept} FROM {predictions}
            {TelemetrySql.FirstReceivedPrediction}
            """, ct);

        var champion = championVersion ?? await BusiestPrimaryAsync(connection, ct)
            ?? throw ValidationException.For("champion", "No primary predictions were logged in the range.");
        var shadowRows = await CountAsync(connection, $"SELECT count(*) FROM p WHERE variant = '{Shadow}' AND version = {challengerVersion}", ct);
        var variant = shadowRows > 0 ? Shadow : Canary;
        var actuals = actualFiles.Count == 0
            ? "SELECT NULL::VARCHAR AS prediction_id, NULL::VARCHAR AS actual, NULL::DOUBLE AS actual_value WHERE FALSE"
            : $"""
              SELECT {Q(C.PredictionId)}, last.actual AS actual, last.value AS actual_value FROM (
              {TelemetrySql.LastReceivedActual(TelemetrySql.ReadParquet(actualFiles))})
              """;
        await ExecuteAsync(connection, $"""
            CREATE TEMP TABLE side AS
            SELECT p.*, a.actual, a.actual_value FROM p LEFT JOIN ({actuals}) a USING ({Q(C.PredictionId)})
            WHERE (p.variant = '{Primary}' AND p.version = {champion}) OR (p.variant = '{variant}' AND p.version = {challengerVersion})
            """, ct);
        var challengerRows = await RowsAsync(connection, $"variant = '{variant}'", variant == Shadow, ct);
        if (challengerRows.Count == 0)
            throw ValidationException.For("challenger", $"Version {challengerVersion} served no shadow or canary predictions in the range.");
        // Shadow: the champion's side is the primaries that were shadowed, in the challenger's order; canary: all of them.
        var championRows = await RowsAsync(connection, $"variant = '{Primary}'", variant == Shadow, ct);
        if (variant == Shadow)
        {
            var byId = championRows.ToDictionary(r => r.Id, StringComparer.Ordinal);
            var paired = challengerRows.Where(r => byId.ContainsKey(r.Id)).ToList();
            return new ComparisonRows(champion, true, paired.Select(r => byId[r.Id]).ToList(), paired);
        }
        return new ComparisonRows(champion, false, championRows, challengerRows);
    }

    private static async Task<int?> BusiestPrimaryAsync(DuckDBConnection connection, CancellationToken ct)
    {
        await using var command = Command(connection, $"SELECT version FROM p WHERE variant = '{Primary}' GROUP BY version ORDER BY count(*) DESC, version DESC LIMIT 1");
        var value = await command.ExecuteScalarAsync(ct);
        return value is null or DBNull ? null : Convert.ToInt32(value, CultureInfo.InvariantCulture);
    }

    private static async Task<List<ComparisonRow>> RowsAsync(DuckDBConnection connection, string where, bool byId, CancellationToken ct)
    {
        var rows = new List<ComparisonRow>();
        await using var command = Command(connection,
            $"SELECT prediction_id, label, score, value, latency_ms, error IS NOT NULL, actual, actual_value FROM side WHERE {where} {(byId ? "ORDER BY prediction_id" : "")}");
        await using var reader = await command.ExecuteReaderAsync(ct);
        double? Number(int i) => reader.IsDBNull(i) ? null : Convert.ToDouble(reader.GetValue(i), CultureInfo.InvariantCulture);
        string? Text(int i) => reader.IsDBNull(i) ? null : reader.GetString(i);
        while (await reader.ReadAsync(ct))
            rows.Add(new ComparisonRow(reader.GetString(0), Text(1), Number(2), Number(3), Number(4), reader.GetBoolean(5), Text(6), Number(7)));
        return rows;
    }

    private static async Task<long> CountAsync(DuckDBConnection connection, string sql, CancellationToken ct)
    {
        await using var command = Command(connection, sql);
        return Convert.ToInt64(await command.ExecuteScalarAsync(ct), CultureInfo.InvariantCulture);
    }

    private static string Q(string identifier) => TelemetrySql.Quote(identifier);


    private static DbCommand Command(DuckDBConnection connection, string sql)
    {
        var command = connection.CreateCommand();
        command.CommandText = sql;
        return command;
    }

    private static async Task ExecuteAsync(DuckDBConnection connection, string sql, CancellationToken ct)
    {
        await using var command = Command(connection, sql);
        await command.ExecuteNonQueryAsync(ct);
    }
}
