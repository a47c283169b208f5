using System.Data.Common;
using System.Globalization;
using ControlPlane.Domain.Production;
using DuckDB.NET.Data;
using C = ControlPlane.Domain.Production.TelemetryColumns;

namespace ControlPlane.Workers.Production;

/// <summary>
/// One window's telemetry in a <see cref="WindowSession"/>'s DuckDB: the window's prediction segments read with
/// <c>union_by_name</c> (versions may log different features), deduplicated (first received prediction wins, last
/// received actual wins), joined to their actuals, filtered to the monitor's target and held as one temp table that
/// the aggregate and sample queries read. Disposing it drops the table.
/// </summary>
public sealed class WindowTelemetry : IAsyncDisposable
{
    private readonly DuckDBConnection _connection;
    private readonly string _table;
    private readonly Action _closed;
    private bool _disposed;

    private WindowTelemetry(DuckDBConnection connection, string table, IReadOnlyList<TelemetryFeature> features, Action closed)
    {
        _connection = connection;
        _table = table;
        Features = features;
        _closed = closed;
    }

    /// <summary>Every feature column that any of the window's segments has.</summary>
    public IReadOnlyList<TelemetryFeature> Features { get; }

    /// <param name="actualTables">The session's tables of the window's actual segments, one per file.</param>
    internal static async Task<WindowTelemetry> CreateAsync(DuckDBConnection connection, string table, IReadOnlyList<string> predictionFiles,
        IReadOnlyList<string> actualTables, TelemetryFilter filter, Action closed, CancellationToken ct)
    {
        if (predictionFiles.Count == 0)
            throw new ArgumentException("A window with no prediction segment has nothing to read.", nameof(predictionFiles));
        var predictions = TelemetrySql.ReadParquet(predictionFiles);
        var columns = new Dictionary<string, string>(StringComparer.Ordinal);
        await using (var describe = Command(connection, $"DESCRIBE SELECT * FROM {predictions}"))
        await using (var reader = await describe.ExecuteReaderAsync(ct))
            while (await reader.ReadAsync(ct))
                columns[reader.GetString(0)] = reader.GetString(1);
        var features = columns.Where(c => c.Key.StartsWith(C.FeaturePrefix, StringComparison.Ordinal))
            .Select(c => new TelemetryFeature(c.Key[C.FeaturePrefix.Length..], IsNumber(c.Value))).ToList();

        string Optional(string name, string type) => columns.ContainsKey(name) ? Quote(name) : $"NULL::{type} AS {Quote(name)}";
        var kept = string.Join(", ", new[] { Quote(C.PredictionId), Quote(C.Version), Quote(C.Variant) }
            .Concat([Optional(C.Alias, "VARCHAR"), Optional(C.Label, "VARCHAR"), Optional(C.Score, "DOUBLE"), Optional(C.Value, "DOUBLE"),
                Optional(C.LatencyMs, "DOUBLE"), Optional(C.Error, "VARCHAR")])
            .Concat(features.Select(f => Quote(C.Feature(f.Name)))));
        // No filter on ts: a segment holds one hour by record timestamp and windows are whole hours, so the window's
        // segments are its rows. (DuckDB's row-group statistics on Parquet.Net 6.1's microsecond
        // timestamps also answered ts >= x wrongly.)
        var firstReceived = TelemetrySql.FirstReceivedPrediction;
        var sql = actualTables.Count == 0
            ? $"""
               CREATE TEMP TABLE {table} AS
               SELECT *, NULL::VARCHAR AS _actual, NULL::DOUBLE AS _actual_value FROM (
                   SELECT {kept} FROM {predictions} {firstReceived}) p
               WHERE {filter.Sql()}
               """
            : $"""
               CREATE TEMP TABLE {table} AS
               WITH p AS (SELECT {kept} FROM {predictions} {firstReceived}),
               a AS ({TelemetrySql.LastReceivedActual($"({string.Join(" UNION ALL BY NAME ", actualTables.Select(t => $"SELECT * FROM {t}"))})",
                   $"{Quote(C.PredictionId)} IN (SELECT {Quote(C.PredictionId)} FROM p)")})
               SELECT p.*, a.last.actual AS _actual, a.last.value AS _actual_value FROM p LEFT JOIN a USING ({Quote(C.PredictionId)})
               WHERE {filter.Sql()}
               """;
        await WindowSession.ExecuteAsync(connection, sql, ct);
        return new WindowTelemetry(connection, table, features, closed);
    }

    public async Task<WindowAggregates> AggregatesAsync(double threshold, CancellationToken ct)
    {
        var t = threshold.ToString("R", CultureInfo.InvariantCulture);
        var (score, latency) = (Quote(C.Score), Quote(C.LatencyMs));
        var missing = Features.Select(f => $", count(*) - count({Quote(C.Feature(f.Name))})");
        var sql = $"""
            SELECT count(*), count(*) FILTER (WHERE {Quote(C.Error)} IS NOT NULL),
                count({latency}), avg({latency}), quantile_cont({latency}, 0.5), quantile_cont({latency}, 0.95), quantile_cont({latency}, 0.99),
                count(_actual), count({score}), count({Quote(C.Value)}), count({Quote(C.Label)}),
                count(*) FILTER (WHERE {score} >= {t}),
                fsum({score}) FILTER (WHERE {score} >= {t}), fsum({score} * (1 - {score})) FILTER (WHERE {score} >= {t}),
                fsum({score}) FILTER (WHERE {score} < {t}), fsum({score} * (1 - {score})) FILTER (WHERE {score} < {t})
                {string.Concat(missing)}
            FROM {_table}
            """;
        await using var command = Command(_connection, sql);
        await using var reader = await command.ExecuteReaderAsync(ct);
        await reader.ReadAsync(ct);
        double? Number(int i) => reader.IsDBNull(i) ? null : Convert.ToDouble(reader.GetValue(i), CultureInfo.InvariantCulture);
        long Count(int i) => reader.IsDBNull(i) ? 0 : Convert.ToInt64(reader.GetValue(i), CultureInfo.InvariantCulture);
        var cbpe = new CbpeSums(Count(8), Count(11), Number(12) ?? 0, Number(13) ?? 0, Number(14) ?? 0, Number(15) ?? 0);
        var missingCounts = Features.Select((f, i) => (f.Name, Count(16 + i))).ToDictionary(m => m.Name, m => m.Item2, StringComparer.Ordinal);
        return new WindowAggregates(Count(0), Count(1), Count(2), Number(3), Number(4), Number(5), Number(6), Count(7), Count(8), Count(9), Count(10),
            cbpe, missingCounts);
    }

    public async Task<IReadOnlyList<ServedSlice>> ServedAsync(CancellationToken ct)
    {
        var served = new List<ServedSlice>();
        await using var command = Command(_connection,
            $"SELECT {Quote(C.Version)}, {Quote(C.Variant)}, count(*) FROM {_table} GROUP BY ALL ORDER BY 1, 2");
        await using var reader = await command.ExecuteReaderAsync(ct);
        while (await reader.ReadAsync(ct))
            served.Add(new ServedSlice(Convert.ToInt32(reader.GetValue(0), CultureInfo.InvariantCulture), reader.GetString(1),
                Convert.ToInt64(reader.GetValue(2), CultureInfo.InvariantCulture)));
        return served;
    }

    /// <summary>The features' and the output's values; above <paramref name="maxRows"/> rows, those with the lowest hash of their id.</summary>
    public async Task<WindowSample> SampleAsync(IReadOnlyList<TelemetryFeature> features, string? outputColumn, long rows, int maxRows, CancellationToken ct)
    {
        var sampled = rows > maxRows;
        var selected = features.Select(f => Quote(C.Feature(f.Name))).ToList();
        if (outputColumn is not null)
            selected.Add(Quote(outputColumn));
        if (selected.Count == 0)
            return new WindowSample(features, new Dictionary<string, double[]>(), new Dictionary<string, string?[]>(), null, sampled);
        var limit = sampled ? $"ORDER BY hash({Quote(C.PredictionId)}), {Quote(C.PredictionId)} LIMIT {maxRows}" : "";
        var numbers = features.Where(f => f.Numerical).ToDictionary(f => f.Name, _ => new List<double>(), StringComparer.Ordinal);
        var texts = features.Where(f => !f.Numerical).ToDictionary(f => f.Name, _ => new List<string?>(), StringComparer.Ordinal);
        var outputNumbers = new List<double>();
        var outputLabels = new List<string?>();
        var numericOutput = outputColumn is C.Score or C.Value;
        await using (var command = Command(_connection, $"SELECT {string.Join(", ", selected)} FROM {_table} {limit}"))
        await using (var reader = await command.ExecuteReaderAsync(ct))
        {
            while (await reader.ReadAsync(ct))
            {
                for (var i = 0; i < features.Count; i++)
                {
                    if (features[i].Numerical)
                        numbers[features[i].Name].Add(reader.IsDBNull(i) ? double.NaN : Convert.ToDouble(reader.GetValue(i), CultureInfo.InvariantCulture));
                    else
                        texts[features[i].Name].Add(reader.IsDBNull(i) ? null : Convert.ToString(reader.GetValue(i), CultureInfo.InvariantCulture));
                }
                if (outputColumn is null)
                    continue;
                var o = features.Count;
                if (numericOutput)
                    outputNumbers.Add(reader.IsDBNull(o) ? double.NaN : reader.GetDouble(o));
                else
                    outputLabels.Add(reader.IsDBNull(o) ? null : reader.GetString(o));
            }
        }
        var output = outputColumn is null ? null
            : numericOutput ? new OutputSample(outputColumn, [.. outputNumbers], null) : new OutputSample(outputColumn, null, [.. outputLabels]);
        return new WindowSample(features, numbers.ToDictionary(n => n.Key, n => n.Value.ToArray(), StringComparer.Ordinal),
            texts.ToDictionary(t => t.Key, t => t.Value.ToArray(), StringComparer.Ordinal), output, sampled);
    }

    public async Task<IReadOnlyList<LabelledRow>> LabelledAsync(long labelled, int maxRows, CancellationToken ct)
    {
        var limit = labelled > maxRows ? $"ORDER BY hash({Quote(C.PredictionId)}), {Quote(C.PredictionId)} LIMIT {maxRows}" : "";
        var rows = new List<LabelledRow>();
        await using var command = Command(_connection,
            $"SELECT {Quote(C.Score)}, {Quote(C.Label)}, {Quote(C.Value)}, _actual, _actual_value FROM {_table} WHERE _actual IS NOT NULL {limit}");
        await using var reader = await command.ExecuteReaderAsync(ct);
        while (await reader.ReadAsync(ct))
            rows.Add(new LabelledRow(reader.IsDBNull(0) ? null : reader.GetDouble(0), reader.IsDBNull(1) ? null : reader.GetString(1),
                reader.IsDBNull(2) ? null : reader.GetDouble(2), reader.GetString(3), reader.IsDBNull(4) ? null : reader.GetDouble(4)));
        return rows;
    }

    public async ValueTask DisposeAsync()
    {
        if (_disposed)
            return;
        _disposed = true;
        await WindowSession.ExecuteAsync(_connection, $"DROP TABLE IF EXISTS {_table}", CancellationToken.None);
        _closed();
    }

    private static string Quote(string identifier) => TelemetrySql.Quote(identifier);


    private static bool IsNumber(string duckType) =>
        duckType is "DOUBLE" or "FLOAT" or "REAL" or "BIGINT" or "INTEGER" or "SMALLINT" or "TINYINT" or "HUGEINT" or "UBIGINT" or "UINTEGER"
            or "USMALLINT" or "UTINYINT" || duckType.StartsWith("DECIMAL", StringComparison.Ordinal);

    private static DbCommand Command(DuckDBConnection connection, string sql) => WindowSession.Command(connection, sql);
}
