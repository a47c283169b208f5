using Parquet;
using Parquet.Schema;
using static ControlPlane.Domain.Production.TelemetryColumns;

namespace ControlPlane.Domain.Production.Ingest;

/// <summary>Writes one hour of accepted records as a Parquet file with the columns of <see cref="TelemetryColumns"/>, one row group.</summary>
internal static class TelemetryParquet
{
    public static async Task WritePredictionsAsync(Stream file, PredictionColumns c, FeatureNames names, DateTime receivedAtUtc, CancellationToken ct)
    {
        var id = new DataField<string>(PredictionId, false);
        var ts = Time(Timestamp);
        var received = Time(ReceivedAt);
        var version = new DataField<int>(TelemetryColumns.Version);
        var alias = new DataField<string>(Alias, true);
        var variant = new DataField<string>(Variant, false);
        var label = new DataField<string>(Label, true);
        var score = new DataField<double?>(Score);
        var probabilities = new DataField<string>(Probabilities, true);
        var value = new DataField<double?>(Value);
        var latency = new DataField<double?>(LatencyMs);
        var error = new DataField<string>(Error, true);
        var tags = new DataField<string>(Tags, true);
        var features = c.Features.Select(f => (Field: f.Column.Numeric ? (DataField)new DataField<double?>(Feature(names[f.Name])) : new DataField<string>(Feature(names[f.Name]), true), f.Column)).ToList();
        var schema = new ParquetSchema([id, ts, received, version, alias, variant, label, score, probabilities, value, latency, error, tags, .. features.Select(f => f.Field)]);

        using var turn = await Common.ParquetWriteTurn.TakeAsync(ct);
        await using var writer = await ParquetWriter.CreateAsync(schema, file, cancellationToken: ct);
        writer.CustomMetadata = DistinctIdsMark.Metadata(); // the batch admitted each (id, variant) once
        using var group = writer.CreateRowGroup();
        await group.WriteAsync(id, c.Ids);
        await group.WriteAsync<DateTime>(ts, c.Timestamps.ToArray(), cancellationToken: ct);
        await group.WriteAsync<DateTime>(received, Enumerable.Repeat(receivedAtUtc, c.Count).ToArray(), cancellationToken: ct);
        await group.WriteAsync<int>(version, c.Versions.ToArray(), cancellationToken: ct);
        await group.WriteAsync(alias, Nullable(c.Aliases));
        await group.WriteAsync(variant, c.Variants);
        await group.WriteAsync(label, Nullable(c.Labels));
        await WriteAsync(group, score, c.Scores, ct);
        await group.WriteAsync(probabilities, Nullable(c.Probabilities));
        await WriteAsync(group, value, c.Values, ct);
        await WriteAsync(group, latency, c.Latencies, ct);
        await group.WriteAsync(error, Nullable(c.Errors));
        await group.WriteAsync(tags, Nullable(c.Tags));
        foreach (var (field, column) in features)
        {
            if (column.Numeric)
                await WriteAsync(group, field, column.Numbers, ct);
            else
                await group.WriteAsync(field, Nullable(column.Texts));
        }
        group.CompleteValidate();
    }

    public static async Task WriteActualsAsync(Stream file, ActualColumns c, DateTime receivedAtUtc, CancellationToken ct)
    {
        var id = new DataField<string>(PredictionId, false);
        var ts = Time(Timestamp);
        var received = Time(ReceivedAt);
        var actual = new DataField<string>(Actual, false);
        var value = new DataField<double?>(ActualValue);
        using var turn = await Common.ParquetWriteTurn.TakeAsync(ct);
        await using var writer = await ParquetWriter.CreateAsync(new ParquetSchema(id, ts, received, actual, value), file, cancellationToken: ct);
        using var group = writer.CreateRowGroup();
        await group.WriteAsync(id, c.Ids);
        await group.WriteAsync<DateTime>(ts, c.Timestamps.ToArray(), cancellationToken: ct);
        await group.WriteAsync<DateTime>(received, Enumerable.Repeat(receivedAtUtc, c.Count).ToArray(), cancellationToken: ct);
        await group.WriteAsync(actual, c.Actuals);
        await group.WriteAsync<double>(value, c.Values.ToArray(), cancellationToken: ct);
        group.CompleteValidate();
    }

    /// <summary>The defined values beside each row's definition level: no <c>double?</c> per row on the way.</summary>
    private static Task WriteAsync(ParquetRowGroupWriter group, DataField field, DoubleColumn column, CancellationToken ct) =>
        group.WriteAllPartsAsync(field, column.Defined(), column.Levels, null, ct);

    /// <summary>TIMESTAMP(MICROS, UTC): what DuckDB, Spark and Trino read as a UTC timestamp.</summary>
    private static DateTimeDataField Time(string name) => new(name, DateTimeFormat.Timestamp, isAdjustedToUTC: true, unit: DateTimeTimeUnit.Micros, isNullable: false);

    // Parquet.Net's string overload is typed without nullability; the field says whether nulls are allowed.
    private static IReadOnlyCollection<string> Nullable(List<string?> values) => values!;
}
