using System.Text;
using ControlPlane.Domain.Common;
using ControlPlane.Domain.Datasets;
using ControlPlane.Domain.Identity;
using ControlPlane.TestSupport;
using Microsoft.Extensions.DependencyInjection;

namespace ControlPlane.Domain.Tests.Datasets;

/// <summary>
/// Limits are checked when a file is uploaded. A version accepted under a raised limit stays readable by everything
/// that reads it later (preview, profile, jobs), which used to apply the default limits again.
/// </summary>
public sealed class StoredVersionLimitsTests
{
    private static readonly Actor Scientist = new("ds", "dana", new HashSet<string> { ControlPlaneRoles.DataScientist }, true);

    [Fact]
    public async Task A_wide_file_accepted_under_a_raised_column_limit_can_be_previewed_and_profiled()
    {
        await using var host = await DomainHost.StartAsync(new Dictionary<string, string?> { ["ControlPlane:Datasets:MaxColumns"] = "2500" });
        var catalog = host.As<DatasetCatalog>(Scientist);
        await catalog.CreateAsync("wide", null, null);
        const int columns = 2_100; // past the default of 2,000
        var header = string.Join(',', Enumerable.Range(0, columns).Select(i => $"f{i}"));
        var row = string.Join(',', Enumerable.Range(0, columns).Select(i => i.ToString(System.Globalization.CultureInfo.InvariantCulture)));
        await using var file = new MemoryStream(Encoding.UTF8.GetBytes($"{header}\n{row}\n{row}\n"));
        var version = await catalog.AddVersionAsync("wide", file, "wide.csv", null, null);

        var preview = await catalog.PreviewAsync("wide", version.Version, 5);
        Assert.Equal(columns, preview.Columns.Count);
        Assert.Equal("2099", preview.Rows[1][columns - 1]);

        var profile = await host.Services.GetRequiredService<DatasetProfiling>()
            .ComputeAsync(version.Sha256, version.Format, version.Schema, verifyHash: true, progress: null, default);
        Assert.Equal(columns, profile.Columns.Count);
    }
}
