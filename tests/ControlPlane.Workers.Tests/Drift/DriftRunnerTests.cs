using System.Globalization;
using System.Text;
using System.Text.Json;
using ControlPlane.Domain.Artifacts;
using ControlPlane.Domain.Datasets;
using ControlPlane.Domain.Datasets.Reading;
using ControlPlane.Domain.Drift;
using ControlPlane.Domain.Persistence;
using ControlPlane.TestSupport;
using ControlPlane.Workers.Drift;
using Microsoft.Extensions.Options;

namespace ControlPlane.Workers.Tests.Drift;

/// <summary>A monitor's comparison read from the artifact store, whole or a few columns at a time.</summary>
public sealed class DriftRunnerTests
{
    [Fact]
    public async Task Comparing_columns_in_groups_under_a_memory_budget_gives_the_same_result_as_one_pass()
    {
        using var directory = new TempDirectory();
        var store = new FileSystemArtifactStore(Options.Create(new ArtifactOptions()), new DatabaseSettings(DatabaseProvider.Sqlite, "", directory.Path));
        var reference = await StoreAsync(store, directory, Table(400, shift: 0));
        var current = await StoreAsync(store, directory, Table(300, shift: 0.4));
        // Benjamini–Hochberg spans every column, so grouping must not change it either.
        var settings = new DriftMonitorSettings(BenjaminiHochberg: true, DriftShareThreshold: 0.4);

        var whole = await new DriftRunner(store, new ReferenceSampleCache()).CompareAsync(reference, current, settings, null, CancellationToken.None);
        var grouped = await new DriftRunner(store, new ReferenceSampleCache(), maxValuesPerPass: 1_400) // two columns per pass
            .CompareAsync(reference, current, settings, null, CancellationToken.None);

        Assert.Equal(JsonSerializer.Serialize(whole.Result, DriftRunner.Json), JsonSerializer.Serialize(grouped.Result, DriftRunner.Json));
        Assert.Equal(5, whole.Result.Columns.Count);
        Assert.Contains(whole.Result.Columns, c => c.Drifted);
        Assert.Contains(whole.Result.Columns.SelectMany(c => c.Tests), t => t.AdjustedPValue is not null);
    }

    /// <summary>Four numeric columns (the odd ones shifted) and a categorical one.</summary>
    private static string Table(int rows, double shift)
    {
        var csv = new StringBuilder("a,b,c,d,kind\n");
        for (var i = 0; i < rows; i++)
        {
            var x = (i * 37 % 101) / 10.0;
            csv.Append(CultureInfo.InvariantCulture, $"{x},{x + shift * 10},{x * 2},{x * 2 + shift * 20},{(i % (shift > 0 ? 2 : 3) == 0 ? "p" : "q")}\n");
        }
        return csv.ToString();
    }

    private static async Task<DatasetVersion> StoreAsync(FileSystemArtifactStore store, TempDirectory directory, string csv)
    {
        var path = directory.File($"{Guid.NewGuid():N}.csv");
        await File.WriteAllTextAsync(path, csv);
        var scan = await DatasetScanner.ScanAsync(path);
        await using var file = File.OpenRead(path);
        await using var staged = await store.StageAsync(file, long.MaxValue, CancellationToken.None);
        await store.PublishAsync(staged, CancellationToken.None);
        var schema = scan.Columns.Select(c => new DatasetColumn(c.Ordinal, c.Name, c.InferredType, c.InferredType, ColumnRole.Feature, c.MissingCount)).ToList();
        return new DatasetVersion
        {
            Id = Guid.NewGuid(), FileSha256 = staged.Sha256, SizeBytes = staged.Size, FileName = "t.csv", Format = DatasetFormat.Csv,
            RowCount = scan.RowCount, Schema = DatasetColumn.ToJson(schema), CreatedBy = "test",
        };
    }
}
