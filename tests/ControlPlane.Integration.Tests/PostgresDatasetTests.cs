using System.Text;
using ControlPlane.Domain.Audit;
using ControlPlane.Domain.Common;
using ControlPlane.Domain.Datasets;
using ControlPlane.Domain.Identity;
using ControlPlane.TestSupport;
using Microsoft.Extensions.DependencyInjection;

namespace ControlPlane.Integration.Tests;

/// <summary>The dataset catalog on the PostgreSQL server: concurrent uploads, schema edits, and the audit chain.</summary>
public sealed class PostgresDatasetTests
{
    private static readonly Actor Scientist = new("ds", "dana", new HashSet<string> { ControlPlaneRoles.DataScientist }, true);

    [Fact]
    public async Task Concurrent_uploads_get_gap_free_numbers_and_the_audit_chain_stays_linear()
    {
        await using var host = await DomainHost.StartAsync(new Dictionary<string, string?>
        {
            ["Database:Provider"] = "PostgreSql",
            ["ConnectionStrings:ControlPlane"] = await PostgresServer.CreateDatabaseAsync(),
        });
        await host.As<DatasetCatalog>(Scientist).CreateAsync("monthly", "uploads racing each other", null);

        await Task.WhenAll(Enumerable.Range(1, 8).Select(async month =>
        {
            var catalog = host.As<DatasetCatalog>(Scientist);
            await using var file = new MemoryStream(Encoding.UTF8.GetBytes($"month,amount\n{month},{month * 10}\n{month},{month * 20}\n"));
            await catalog.AddVersionAsync("monthly", file, $"m{month}.csv", null, null);
        }));

        var reader = host.As<DatasetCatalog>(Scientist);
        var versions = (await reader.ListVersionsAsync("monthly", new PageRequest(0, 50))).Items;
        Assert.Equal(Enumerable.Range(1, 8).Reverse(), versions.Select(v => v.Version));
        Assert.All(versions, v => Assert.Equal(ProfileStatus.Ready, v.ProfileStatus));
        // Each version holds the file it was given: the month column's single value matches its amounts.
        foreach (var v in versions)
        {
            var month = (await reader.GetVersionAsync("monthly", v.Version)).Profile!.Columns.Single(c => c.Name == "month").Numeric!.Mean;
            var amount = (await reader.GetVersionAsync("monthly", v.Version)).Profile!.Columns.Single(c => c.Name == "amount").Numeric!.Mean;
            Assert.Equal(month * 15, amount);
        }

        // Versions are numbered in arrival order, so version 3 holds whichever month arrived third.
        var third = (await reader.GetVersionAsync("monthly", 3)).Profile!.Columns.Single(c => c.Name == "month").Numeric!.Mean;
        var changed = await reader.UpdateSchemaAsync("monthly", 3, [new ColumnSchemaChange("month", ColumnType.Categorical, ColumnRole.Id)]);
        Assert.Equal(third.ToString(System.Globalization.CultureInfo.InvariantCulture), Assert.Single(changed.Profile!.Columns.Single(c => c.Name == "month").Categories!.Top).Value);

        var verdict = await host.VerifyAuditAsync();
        Assert.True(verdict.Intact, verdict.Problem);
    }
}
