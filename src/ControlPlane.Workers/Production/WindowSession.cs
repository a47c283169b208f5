using System.Data.Common;
using ControlPlane.Domain.Production;
using DuckDB.NET.Data;
using C = ControlPlane.Domain.Production.TelemetryColumns;

namespace ControlPlane.Workers.Production;

/// <summary>
/// One embedded, in-memory DuckDB for a run of windows computed one after another. Every hourly window reads the
/// actual segments of a range around it (a day's worth by default), so consecutive windows read mostly the same
/// actuals: each actuals file is read from Parquet once into a table of its own, kept while the next window still
/// reads it and dropped when one no longer does. A window joins its predictions with the tables of exactly its own
/// files, so its figures are the same as if it had read them alone.
/// </summary>
public sealed class WindowSession : IAsyncDisposable
{
    private readonly DuckDBConnection _connection;
    private readonly string _spill;
    private readonly Dictionary<string, string> _actualTables = new(StringComparer.Ordinal);
    private readonly bool _trustDistinctMarks;
    private int _tables;
    private WindowTelemetry? _open;

    private WindowSession(DuckDBConnection connection, string spill, bool trustDistinctMarks) =>
        (_connection, _spill, _trustDistinctMarks) = (connection, spill, trustDistinctMarks);

    /// <param name="trustDistinctMarks">
    /// false: deduplicate every window, even one whose only file says it holds each id once (to compare both ways).
    /// </param>
    public static async Task<WindowSession> OpenAsync(string memoryLimit, CancellationToken ct, bool trustDistinctMarks = true)
    {
        var connection = new DuckDBConnection("DataSource=:memory:");
        // Every in-memory database spills to ".tmp/duckdb_temp_storage_DEFAULT-0.tmp" under the working directory unless
        // told otherwise: two sessions in one process would overwrite each other's spill.
        var spill = Path.Combine(Path.GetTempPath(), "controlplane-duckdb", Guid.NewGuid().ToString("N"));
        try
        {
            Directory.CreateDirectory(spill);
            await connection.OpenAsync(ct);
            await ExecuteAsync(connection, $"SET TimeZone = 'UTC'; SET memory_limit = {TelemetryFilter.Sql(memoryLimit)}; SET preserve_insertion_order = false; " +
                $"SET temp_directory = {TelemetryFilter.Sql(spill)};", ct);
            return new WindowSession(connection, spill, trustDistinctMarks);
        }
        catch
        {
            await connection.DisposeAsync();
            DeleteSpill(spill);
            throw;
        }
    }

    /// <summary>One window's telemetry; the previous one of this session must be disposed first.</summary>
    public async Task<WindowTelemetry> WindowAsync(IReadOnlyList<string> predictionFiles, IReadOnlyList<string> actualFiles,
        TelemetryFilter filter, CancellationToken ct)
    {
        if (_open is not null)
            throw new InvalidOperationException("A session computes one window at a time: dispose the previous window first.");
        var actuals = await ActualTablesAsync(actualFiles, ct);
        // Two files may repeat each other's ids (a retried batch), so only a window of one marked file skips deduplication.
        var distinct = _trustDistinctMarks && predictionFiles.Count == 1 && await DistinctIdsMark.IsMarkedAsync(predictionFiles[0], ct);
        _open = await WindowTelemetry.CreateAsync(_connection, $"win_{++_tables}", predictionFiles, distinct, actuals, filter, () => _open = null, ct);
        return _open;
    }

    /// <summary>The tables of <paramref name="files"/>, reading the ones not held yet and dropping those no longer asked for.</summary>
    private async Task<IReadOnlyList<string>> ActualTablesAsync(IReadOnlyList<string> files, CancellationToken ct)
    {
        var wanted = files.ToHashSet(StringComparer.Ordinal);
        foreach (var stale in _actualTables.Keys.Where(f => !wanted.Contains(f)).ToList())
        {
            await ExecuteAsync(_connection, $"DROP TABLE {_actualTables[stale]}", ct);
            _actualTables.Remove(stale);
        }
        var tables = new List<string>(files.Count);
        foreach (var file in files)
        {
            if (!_actualTables.TryGetValue(file, out var table))
            {
                table = $"actuals_{++_tables}";
                // ts is not needed to join and pick the last received actual; the rest is kept by name, as files may differ.
                await ExecuteAsync(_connection,
                    $"CREATE TEMP TABLE {table} AS SELECT * EXCLUDE ({TelemetrySql.Quote(C.Timestamp)}) FROM read_parquet({TelemetryFilter.Sql(file)}, hive_partitioning = false)", ct);
                _actualTables[file] = table;
            }
            tables.Add(table);
        }
        return tables;
    }

    public async ValueTask DisposeAsync()
    {
        if (_open is not null)
            await _open.DisposeAsync();
        await _connection.DisposeAsync();
        DeleteSpill(_spill);
    }

    private static void DeleteSpill(string directory)
    {
        try
        {
            if (Directory.Exists(directory))
                Directory.Delete(directory, recursive: true);
        }
        catch (IOException)
        {
            // A spill file left behind is only disk space in the temp directory.
        }
    }

    internal static async Task ExecuteAsync(DuckDBConnection connection, string sql, CancellationToken ct)
    {
        await using var command = connection.CreateCommand();
        command.CommandText = sql;
        await command.ExecuteNonQueryAsync(ct);
    }

    internal static DbCommand Command(DuckDBConnection connection, string sql)
    {
        var command = connection.CreateCommand();
        command.CommandText = sql;
        return command;
    }
}
