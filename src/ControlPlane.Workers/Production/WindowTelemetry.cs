using System.Data.Common;
using System.Globalization;
using ControlPlane.Domain.Production;
using DuckDB.NET.Data;
using C = ControlPlane.Domain.Production.TelemetryColumns;

namespace ControlPlane.Workers.Production;

/// <summary>
/// One window's telemetry in a <see cref="WindowSession"/>'s DuckDB. Its rows are the window's prediction segments
/// read with <c>union_by_name</c> (versions may log different features) and filtered to the monitor's target. When the
/// window's only file carries <see cref="DistinctIdsMark"/>, the queries read that file directly (each reads only its
/// columns); otherwise the rows are deduplicated first (first received prediction per id and variant wins) into a
/// temp table. The labelled rows (joined with the last received actual of the window's actuals tables) are one small
/// temp table. Disposing it drops the tables.
/// </summary>
public sealed class WindowTelemetry : IAsyncDisposable
{
    private readonly DuckDBConnection _connection;
    /// <summary>The window's rows as what follows FROM, ending in a WHERE condition (so that a query can add "AND …").</summary>
    private readonly string _rows;
    private readonly string? _deduplicated;
    private readonly string? _labels;
    private readonly Action _closed;
    private bool _disposed;

    private WindowTelemetry(DuckDBConnection connection, string rows, string? deduplicated, string? labels, IReadOnlyList<TelemetryFeature> features, Action closed)
    {
        _connection = connection;
        _rows = rows;
        _deduplicated = deduplicated;
        _labels = labels;
        Features = features;
        _closed = closed;
    }

    /// <summary>Every feature column that any of the window's segments has.</summary>
    public IReadOnlyList<TelemetryFeature> Features { get; }

    /// <summary>True when the window's rows needed no deduplication (one file that holds each id and variant once).</summary>
    public bool ReadDirectly => _deduplicated is null;

    /// <param name="actualTables">The session's tables of the window's actual segments, one per file.</param>
    /// <param name="distinct">The files hold each (id, variant) once (see <see cref="DistinctIdsMark"/>): no deduplication.</param>
    internal static async Task<WindowTelemetry> CreateAsync(DuckDBConnection connection, string table, IReadOnlyList<string> predictionFiles, bool distinct,
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
        string rows;
        string? deduplicated = null;
        if (distinct)
            rows = $"(SELECT {kept} FROM {predictions}) AS p WHERE {filter.Sql()}";
        else
        {
            // Deduplicated before the filter: the first received row of an id decides its alias and version.
            deduplicated = table;
            await WindowSession.ExecuteAsync(connection,
                $"CREATE TEMP TABLE {table} AS SELECT * FROM (SELECT {kept} FROM {predictions} {TelemetrySql.FirstReceivedPrediction}) p WHERE {filter.Sql()}", ct);
            rows = $"{table} WHERE TRUE";
        }
        string? labels = null;
        try
        {
            if (actualTables.Count > 0)
            {
                labels = $"{table}_labels";
                var actuals = $"({string.Join(" UNION ALL BY NAME ", actualTables.Select(t => $"SELECT * FROM {t}"))})";
                await WindowSession.ExecuteAsync(connection, $"CREATE TEMP TABLE {labels} AS {TelemetrySql.LabelledRows($"SELECT * FROM {rows}", actuals)}", ct);
            }
        }
        catch
        {
            if (deduplicated is not null)
                await WindowSession.ExecuteAsync(connection, $"DROP TABLE IF EXISTS {deduplicated}", CancellationToken.None);
            throw;
        }
        return new WindowTelemetry(connection, rows, deduplicated, labels, features, closed);
    }

    public async Task<WindowAggregates> AggregatesAsync(double threshold, CancellationToken ct)
    {
        var t = threshold.ToString("R", CultureInfo.InvariantCulture);
        var (score, latency) = (Quote(C.Score), Quote(C.LatencyMs));
        var missing = Features.Select((f, i) => $", count(*) - count({Quote(C.Feature(f.Name))}) AS m{i}");
        // One sort for the three latency quantiles (a list), read back as three columns.
        var sql = $"""
            SELECT n, errors, latencies, latency_mean, q[1], q[2], q[3], * EXCLUDE (n, errors, latencies, latency_mean, q) FROM (
            SELECT count(*) AS n, count(*) FILTER (WHERE {Quote(C.Error)} IS NOT NULL) AS errors,
                count({latency}) AS latencies, avg({latency}) AS latency_mean, quantile_cont({latency}, [0.5, 0.95, 0.99]) AS q,
                count({score}) AS scored, count({Quote(C.Value)}) AS valued, count({Quote(C.Label)}) AS labels,
                count(*) FILTER (WHERE {score} >= {t}) AS positive,
                fsum({score}) FILTER (WHERE {score} >= {t}) AS positive_sum, fsum({score} * (1 - {score})) FILTER (WHERE {score} >= {t}) AS positive_variance,
                fsum({score}) FILTER (WHERE {score} < {t}) AS negative_sum, fsum({score} * (1 - {score})) FILTER (WHERE {score} < {t}) AS negative_variance
                {string.Concat(missing)}
            FROM {_rows})
            """;
        var labelled = await LabelledCountAsync(ct);
        await using var command = Command(_connection, sql);
        await using var reader = await command.ExecuteReaderAsync(ct);
        await reader.ReadAsync(ct);
        double? Number(int i) => reader.IsDBNull(i) ? null : Convert.ToDouble(reader.GetValue(i), CultureInfo.InvariantCulture);
        long Count(int i) => reader.IsDBNull(i) ? 0 : Convert.ToInt64(reader.GetValue(i), CultureInfo.InvariantCulture);
        var cbpe = new CbpeSums(Count(7), Count(10), Number(11) ?? 0, Number(12) ?? 0, Number(13) ?? 0, Number(14) ?? 0);
        var missingCounts = Features.Select((f, i) => (f.Name, Count(15 + i))).ToDictionary(m => m.Name, m => m.Item2, StringComparer.Ordinal);
        return new WindowAggregates(Count(0), Count(1), Count(2), Number(3), Number(4), Number(5), Number(6), labelled, Count(7), Count(8), Count(9),
            cbpe, missingCounts);
    }

    private async Task<long> LabelledCountAsync(CancellationToken ct)
    {
        if (_labels is null)
            return 0;
        await using var command = Command(_connection, $"SELECT count(*) FROM {_labels}");
        return Convert.ToInt64(await command.ExecuteScalarAsync(ct), CultureInfo.InvariantCulture);
    }

    public async Task<IReadOnlyList<ServedSlice>> ServedAsync(CancellationToken ct)
    {
        var served = new List<ServedSlice>();
        await using var command = Command(_connection,
            $"SELECT {Quote(C.Version)}, {Quote(C.Variant)}, count(*) FROM {_rows} GROUP BY ALL ORDER BY 1, 2");
        await using var reader = await command.ExecuteReaderAsync(ct);
        while (await reader.ReadAsync(ct))
            served.Add(new ServedSlice(Convert.ToInt32(reader.GetValue(0), CultureInfo.InvariantCulture), reader.GetString(1),
                Convert.ToInt64(reader.GetValue(2), CultureInfo.InvariantCulture)));
        return served;
    }

    /// <summary>
    /// The features' and the output's values; above <paramref name="maxRows"/> rows, those whose id hashes below a
    /// threshold set so that <paramref name="maxRows"/> are expected (a deterministic sample: the same rows give the same
    /// sample, and a row is in it or not whatever else the window holds).
    /// </summary>
    public async Task<WindowSample> SampleAsync(IReadOnlyList<TelemetryFeature> features, string? outputColumn, long rows, int maxRows, CancellationToken ct)
    {
        var sampled = rows > maxRows;
        // Numbers as DOUBLE, so that each value is read without boxing.
        var selected = features.Select(f => f.Numerical ? $"{Quote(C.Feature(f.Name))}::DOUBLE" : Quote(C.Feature(f.Name))).ToList();
        if (outputColumn is not null)
            selected.Add(Quote(outputColumn));
        if (selected.Count == 0)
            return new WindowSample(features, new Dictionary<string, double[]>(), new Dictionary<string, string?[]>(), null, sampled, 0);
        var rowsSql = _rows;
        if (sampled)
        {
            // hash() is uniform over 64 bits: below maxRows/rows of its range lie about maxRows of the rows.
            var threshold = (ulong)Math.Min(Math.Floor((double)maxRows / rows * 18446744073709551616.0), ulong.MaxValue);
            rowsSql = $"{_rows} AND hash({Quote(C.PredictionId)}) < {threshold.ToString(CultureInfo.InvariantCulture)}";
        }
        var numbers = features.Select(f => f.Numerical ? new List<double>() : null).ToArray();
        var texts = features.Select(f => f.Numerical ? null : new List<string?>()).ToArray();
        var outputNumbers = new List<double>();
        var outputLabels = new List<string?>();
        var numericOutput = outputColumn is C.Score or C.Value;
        var read = 0;
        await using (var command = Command(_connection, $"SELECT {string.Join(", ", selected)} FROM {rowsSql}"))
        await using (var reader = await command.ExecuteReaderAsync(ct))
        {
            while (await reader.ReadAsync(ct))
            {
                read++;
                for (var i = 0; i < numbers.Length; i++)
                {
                    if (numbers[i] is { } list)
                        list.Add(reader.IsDBNull(i) ? double.NaN : reader.GetDouble(i));
                    else
                        texts[i]!.Add(reader.IsDBNull(i) ? null : Convert.ToString(reader.GetValue(i), CultureInfo.InvariantCulture));
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
        return new WindowSample(features,
            features.Select((f, i) => (f.Name, Values: numbers[i])).Where(n => n.Values is not null).ToDictionary(n => n.Name, n => n.Values!.ToArray(), StringComparer.Ordinal),
            features.Select((f, i) => (f.Name, Values: texts[i])).Where(t => t.Values is not null).ToDictionary(t => t.Name, t => t.Values!.ToArray(), StringComparer.Ordinal),
            output, sampled, read);
    }

    public async Task<IReadOnlyList<LabelledRow>> LabelledAsync(long labelled, int maxRows, CancellationToken ct)
    {
        var rows = new List<LabelledRow>();
        if (_labels is null)
            return rows;
        var limit = labelled > maxRows ? $"ORDER BY hash({Quote(C.PredictionId)}), {Quote(C.PredictionId)} LIMIT {maxRows}" : "";
        await using var command = Command(_connection,
            $"SELECT {Quote(C.Score)}, {Quote(C.Label)}, {Quote(C.Value)}, _actual, _actual_value FROM {_labels} {limit}");
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
        foreach (var table in new[] { _deduplicated, _labels }.OfType<string>())
            await WindowSession.ExecuteAsync(_connection, $"DROP TABLE IF EXISTS {table}", CancellationToken.None);
        _closed();
    }

    private static string Quote(string identifier) => TelemetrySql.Quote(identifier);


    private static bool IsNumber(string duckType) =>
        duckType is "DOUBLE" or "FLOAT" or "REAL" or "BIGINT" or "INTEGER" or "SMALLINT" or "TINYINT" or "HUGEINT" or "UBIGINT" or "UINTEGER"
            or "USMALLINT" or "UTINYINT" || duckType.StartsWith("DECIMAL", StringComparison.Ordinal);

    private static DbCommand Command(DuckDBConnection connection, string sql) => WindowSession.Command(connection, sql);
}
