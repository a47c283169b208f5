using ControlPlane.Domain.Common;
using ControlPlane.TestSupport;
using Parquet;
using Parquet.Schema;

namespace ControlPlane.Domain.Tests.Datasets.Reading;

/// <summary>Writes Parquet files with Parquet.Net for the reading tests, one call per row group.</summary>
internal static class ParquetTestFiles
{
    public static async Task<string> ParquetAsync(
        this TempDirectory dir, ParquetSchema schema, int groups, Func<ParquetRowGroupWriter, int, Task> writeGroup)
    {
        var path = dir.File($"{Guid.NewGuid():N}.parquet");
        using var turn = await ParquetWriteTurn.TakeAsync(default);
        await using var file = File.Create(path);
        await using var writer = await ParquetWriter.CreateAsync(schema, file);
        for (var g = 0; g < groups; g++)
        {
            using var group = writer.CreateRowGroup();
            await writeGroup(group, g);
        }
        return path;
    }

    /// <summary>One required double column "d" holding 0..rows-1, in row groups of <paramref name="groupRows"/>.</summary>
    public static Task<string> DoublesAsync(this TempDirectory dir, int groups, int groupRows)
    {
        var field = new DataField<double>("d");
        return dir.ParquetAsync(new ParquetSchema(field), groups, (group, g) =>
            group.WriteAsync<double>(field, Enumerable.Range(g * groupRows, groupRows).Select(i => (double)i).ToArray()));
    }
}
