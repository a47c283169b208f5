using ControlPlane.Domain.Production;
using Parquet;
using Parquet.Schema;

namespace ControlPlane.Workers.Production;

/// <summary>
/// Writes the rows of several Parquet files into one, every row kept (readers deduplicate), columns united
/// (<see cref="MergedSchema"/>). Source row groups are gathered into row groups of about <c>rowGroupRows</c>, so
/// memory stays bounded by one output row group whatever the hour's size (and, for predictions, 8 bytes a row for
/// the <see cref="DistinctPairs"/> check, up to <see cref="DistinctCheckRows"/> rows).
/// </summary>
internal static class ParquetMerge
{
    /// <summary>Rows up to which a merged prediction file is checked for repeated (id, variant) pairs (128 MB of hashes).</summary>
    public const int DistinctCheckRows = 16_000_000;

    /// <param name="predictions">A prediction file: marked <see cref="DistinctIdsMark"/> when no (id, variant) repeats in it.</param>
    public static async Task<long> MergeAsync(IReadOnlyList<string> sources, string target, int rowGroupRows, bool predictions, CancellationToken ct)
    {
        var schemas = new List<(string, ParquetSchema)>();
        var metadata = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var source in sources)
        {
            await using var reader = await ParquetReader.CreateAsync(source, cancellationToken: ct);
            schemas.Add((source, reader.Schema));
            foreach (var (key, value) in reader.CustomMetadata)
                metadata.TryAdd(key, value);
        }
        // The sources' marks say nothing of the merge: it is marked below only if it holds no repeat.
        metadata.Remove(DistinctIdsMark.Key);
        var schema = MergedSchema.Union(schemas);
        var columns = schema.DataFields.Select(MergedColumn.For).ToList();
        var ids = columns.OfType<StringColumn>().SingleOrDefault(c => c.Output.Name == TelemetryColumns.PredictionId);
        var variants = columns.OfType<StringColumn>().SingleOrDefault(c => c.Output.Name == TelemetryColumns.Variant);
        var distinct = predictions && ids is not null ? new DistinctPairs(DistinctCheckRows) : null;
        foreach (var column in columns)
            column.EnsureCapacity(rowGroupRows);

        long total = 0;
        var buffered = 0;
        var capacity = rowGroupRows;
        await using var output = new FileStream(target, FileMode.CreateNew, FileAccess.ReadWrite, FileShare.None, 1 << 16, useAsync: true);
        // The whole merge holds the process's Parquet write turn (see ParquetWriteTurn); ingest waits for it, within its queue time.
        using var turn = await Domain.Common.ParquetWriteTurn.TakeAsync(ct);
        await using (var writer = await ParquetWriter.CreateAsync(schema, output, cancellationToken: ct))
        {
            async Task FlushAsync()
            {
                if (buffered == 0)
                    return;
                distinct?.Add(ids!.Values(buffered), variants is null ? default : variants.Values(buffered));
                using var group = writer.CreateRowGroup();
                foreach (var column in columns)
                    await column.WriteAsync(group, buffered, ct);
                total += buffered;
                buffered = 0;
            }

            foreach (var source in sources)
            {
                await using var reader = await ParquetReader.CreateAsync(source, cancellationToken: ct);
                var fields = reader.Schema.DataFields.ToDictionary(f => f.Name, StringComparer.Ordinal);
                for (var g = 0; g < reader.RowGroupCount; g++)
                {
                    using var group = reader.OpenRowGroupReader(g);
                    var rows = checked((int)group.RowCount);
                    if (buffered + rows > capacity)
                        await FlushAsync();
                    if (rows > capacity)
                    {
                        capacity = rows; // a source row group larger than ours is kept whole
                        foreach (var column in columns)
                            column.EnsureCapacity(capacity);
                    }
                    foreach (var column in columns)
                    {
                        if (fields.TryGetValue(column.Output.Name, out var field))
                            await column.ReadAsync(group, field, buffered, rows, ct);
                        else
                            column.SetNull(buffered, rows);
                    }
                    buffered += rows;
                }
            }
            await FlushAsync();
            if (distinct?.AllDistinct() == true)
                metadata[DistinctIdsMark.Key] = DistinctIdsMark.Yes;
            writer.CustomMetadata = metadata;
        }
        await output.FlushAsync(ct);
        output.Flush(flushToDisk: true);
        return total;
    }
}
