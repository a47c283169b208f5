using System.Text;
using ControlPlane.Domain.Datasets;
using ControlPlane.Domain.Datasets.Reading;
using ControlPlane.TestSupport;

namespace ControlPlane.Domain.Tests.Datasets.Reading;

/// <summary>Writes small data files and reads them back whole, for the reading tests.</summary>
internal static class ReadingTestFiles
{
    public static string Csv(this TempDirectory dir, string text, bool bom = false) =>
        dir.Bytes([.. (bom ? Encoding.UTF8.Preamble : []), .. Encoding.UTF8.GetBytes(text)]);

    public static string Bytes(this TempDirectory dir, byte[] bytes)
    {
        var path = dir.File($"{Guid.NewGuid():N}.dat");
        File.WriteAllBytes(path, bytes);
        return path;
    }

    /// <summary>Every requested column of every row, plus each batch's first row, count and invalid counts.</summary>
    public static async Task<ReadBack> ReadAllAsync(
        string path, DatasetFormat format, ColumnRequest[] requests, int capacity = 1024, ReadLimits? limits = null, CsvBlockOptions? blocks = null)
    {
        using var reader = await TabularReader.OpenAsync(path, format, limits, blocks ?? CsvBlockOptions.Default, CancellationToken.None);
        var batch = new TabularBatch(requests, capacity);
        var numbers = requests.Select(_ => new List<double>()).ToArray();
        var texts = requests.Select(_ => new List<string?>()).ToArray();
        var invalid = new long[requests.Length];
        var batches = new List<(long FirstRow, int Count)>();
        while (await reader.ReadAsync(batch))
        {
            batches.Add((batch.FirstRow, batch.Count));
            for (var i = 0; i < requests.Length; i++)
            {
                invalid[i] += batch.InvalidCounts[i];
                if (requests[i].As == ColumnReadAs.Number)
                    numbers[i].AddRange(batch.Numbers(i).Take(batch.Count));
                else
                    texts[i].AddRange(batch.Texts(i).Take(batch.Count));
            }
        }
        Assert.Equal(0, batch.Count);
        return new ReadBack(reader.ColumnNames, numbers, texts, invalid, batches, reader.Progress);
    }

    public static ColumnRequest[] Numbers(params int[] ordinals) => [.. ordinals.Select(o => new ColumnRequest(o, ColumnReadAs.Number))];
    public static ColumnRequest[] Texts(params int[] ordinals) => [.. ordinals.Select(o => new ColumnRequest(o, ColumnReadAs.Text))];
}

internal sealed record ReadBack(
    IReadOnlyList<string> Names,
    List<double>[] Numbers,
    List<string?>[] Texts,
    long[] Invalid,
    List<(long FirstRow, int Count)> Batches,
    double Progress);
