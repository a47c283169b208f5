using System.Globalization;
using ControlPlane.Domain.Production;
using Parquet;
using Parquet.Schema;

namespace ControlPlane.Workers.Tests.Production;

/// <summary>
/// Telemetry Parquet files written and read by the test itself, column by column with Parquet.Net, as the ingest
/// writer and an outside reader would: the reference that compaction's output is compared with.
/// </summary>
internal static class TelemetryParquet
{
    public static readonly DataField PredictionId = new DataField<string>(TelemetryColumns.PredictionId, false);
    public static readonly DataField Timestamp = new DateTimeDataField(TelemetryColumns.Timestamp, DateTimeFormat.Timestamp, isAdjustedToUTC: true, unit: DateTimeTimeUnit.Micros, isNullable: false);
    public static readonly DataField ReceivedAt = new DateTimeDataField(TelemetryColumns.ReceivedAt, DateTimeFormat.Timestamp, isAdjustedToUTC: true, unit: DateTimeTimeUnit.Micros, isNullable: false);
    public static readonly DataField Version = new DataField<int>(TelemetryColumns.Version);
    public static readonly DataField Variant = new DataField<string>(TelemetryColumns.Variant, false);
    public static readonly DataField Score = new DataField<double?>(TelemetryColumns.Score);
    public static readonly DataField Income = new DataField<double?>(TelemetryColumns.Feature("income"));
    public static readonly DataField Region = new DataField<string>(TelemetryColumns.Feature("region"), true);
    public static readonly DataField Age = new DataField<double?>(TelemetryColumns.Feature("age"));

    public static IReadOnlyList<DataField> Predictions(bool withAge = false) =>
        withAge ? [PredictionId, Timestamp, ReceivedAt, Version, Variant, Score, Income, Region, Age] : [PredictionId, Timestamp, ReceivedAt, Version, Variant, Score, Income, Region];

    /// <summary>Prediction rows with every kind of value, nulls included, and timestamps on whole microseconds.</summary>
    public static List<Dictionary<string, object?>> Rows(int count, int seed, DateTime hourUtc, bool withAge = false) =>
        [.. Enumerable.Range(0, count).Select(i =>
        {
            var ts = hourUtc.AddTicks((long)(i * 1_000_003L + seed * 7L) * 10 % TimeSpan.TicksPerHour);
            var row = new Dictionary<string, object?>
            {
                [TelemetryColumns.PredictionId] = $"p-{seed}-{i}",
                [TelemetryColumns.Timestamp] = ts,
                [TelemetryColumns.ReceivedAt] = ts.AddMilliseconds(50),
                [TelemetryColumns.Version] = 1 + (i % 2),
                [TelemetryColumns.Variant] = i % 3 == 0 ? "canary" : "primary",
                [TelemetryColumns.Score] = i % 7 == 0 ? null : (i * 37 % 100) / 100.0,
                [Income.Name] = 1000.0 * i + seed + 0.25,
                [Region.Name] = i % 5 == 0 ? null : $"r{i % 3}",
            };
            if (withAge)
                row[Age.Name] = i % 4 == 0 ? null : 20.0 + i % 50;
            return row;
        })];

    /// <param name="metadata">Key-value metadata of the file (ingest's <see cref="DistinctIdsMark"/>, say).</param>
    public static async Task WriteAsync(string path, IReadOnlyList<DataField> fields, IReadOnlyList<Dictionary<string, object?>> rows, int rowGroupRows = int.MaxValue,
        Dictionary<string, string>? metadata = null)
    {
        using var turn = await Domain.Common.ParquetWriteTurn.TakeAsync(default);
        await using var stream = File.Create(path);
        await using var writer = await ParquetWriter.CreateAsync(new ParquetSchema(fields), stream);
        if (metadata is not null)
            writer.CustomMetadata = metadata;
        foreach (var chunk in rows.Chunk(rowGroupRows))
        {
            using var group = writer.CreateRowGroup();
            foreach (var field in fields)
            {
                object? Value(Dictionary<string, object?> row) => row.GetValueOrDefault(field.Name);
                if (field.ClrType == typeof(double))
                    await group.WriteAsync<double>(field, new ReadOnlyMemory<double?>([.. chunk.Select(r => (double?)Value(r))]));
                else if (field.ClrType == typeof(int))
                    await group.WriteAsync<int>(field, new ReadOnlyMemory<int>([.. chunk.Select(r => (int)Value(r)!)]));
                else if (field.ClrType == typeof(DateTime))
                    await group.WriteAsync<DateTime>(field, new ReadOnlyMemory<DateTime>([.. chunk.Select(r => (DateTime)Value(r)!)]));
                else
                    await group.WriteAsync(field, chunk.Select(r => (string)Value(r)!).ToArray());
            }
        }
    }

    public static async Task<(ParquetSchema Schema, List<Dictionary<string, object?>> Rows, List<long> RowGroups)> ReadAsync(string path)
    {
        await using var reader = await ParquetReader.CreateAsync(path);
        var rows = new List<Dictionary<string, object?>>();
        var groups = new List<long>();
        for (var g = 0; g < reader.RowGroupCount; g++)
        {
            using var group = reader.OpenRowGroupReader(g);
            var n = (int)group.RowCount;
            groups.Add(n);
            var block = Enumerable.Range(0, n).Select(_ => new Dictionary<string, object?>()).ToList();
            foreach (var field in reader.Schema.DataFields)
            {
                object?[] values;
                if (field.ClrType == typeof(double))
                    values = (await Read<double>(group, field, n)).Cast<object?>().ToArray();
                else if (field.ClrType == typeof(int))
                    values = (await Read<int>(group, field, n)).Cast<object?>().ToArray();
                else if (field.ClrType == typeof(DateTime))
                    values = (await Read<DateTime>(group, field, n)).Cast<object?>().ToArray();
                else
                {
                    var strings = new string?[n];
                    await group.ReadAsync(field, strings.AsMemory());
                    values = strings;
                }
                for (var i = 0; i < n; i++)
                    block[i][field.Name] = values[i];
            }
            rows.AddRange(block);
        }
        return (reader.Schema, rows, groups);
    }

    private static async Task<T?[]> Read<T>(ParquetRowGroupReader group, DataField field, int n) where T : struct
    {
        if (!field.IsNullable)
        {
            // Parquet.Net 6.1 misreads a required column into nullable memory (stale definition levels).
            var required = new T[n];
            await group.ReadAsync<T>(field, required.AsMemory());
            return [.. required.Select(v => (T?)v)];
        }
        var values = new T?[n];
        await group.ReadAsync<T>(field, values.AsMemory());
        return values;
    }

    /// <summary>One line per row over the given columns (a missing column is null), sorted: a multiset to compare.</summary>
    public static List<string> Canonical(IEnumerable<Dictionary<string, object?>> rows, IEnumerable<string> columns)
    {
        var names = columns.Order(StringComparer.Ordinal).ToList();
        return [.. rows.Select(r => string.Join("|", names.Select(c => $"{c}={Text(r.GetValueOrDefault(c))}"))).Order(StringComparer.Ordinal)];
    }

    /// <summary>Equal canonical rows, or a failure that shows the first pair that differs in full.</summary>
    public static void SameRows(IReadOnlyList<string> expected, IReadOnlyList<string> actual)
    {
        var at = Enumerable.Range(0, Math.Min(expected.Count, actual.Count)).FirstOrDefault(i => expected[i] != actual[i], -1);
        if (at >= 0)
            Assert.Fail($"Row {at} of {expected.Count} differs:\nexpected {expected[at]}\nactual   {actual[at]}");
        Assert.Equal(expected.Count, actual.Count);
    }

    private static string Text(object? value) => value switch
    {
        null => "null",
        DateTime t => $"{t.ToUniversalTime().Ticks}t",
        double d => d.ToString("R", CultureInfo.InvariantCulture),
        IFormattable f => f.ToString(null, CultureInfo.InvariantCulture),
        _ => value.ToString()!,
    };
}
