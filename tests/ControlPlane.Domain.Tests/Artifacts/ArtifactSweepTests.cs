using System.Text;
using ControlPlane.Domain.Artifacts;
using ControlPlane.Domain.Audit;
using ControlPlane.Domain.Common;
using ControlPlane.Domain.Datasets;
using ControlPlane.Domain.Identity;
using ControlPlane.Domain.Persistence;
using ControlPlane.TestSupport;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace ControlPlane.Domain.Tests.Artifacts;

/// <summary>The recurring sweep on the file system store; ages are set on the files against the host's clock.</summary>
public sealed class ArtifactSweepTests
{
    private static readonly Actor Scientist = new("ds", "dana", new HashSet<string> { ControlPlaneRoles.DataScientist }, true);

    [Fact]
    public async Task The_sweep_removes_an_old_unreferenced_artifact_and_keeps_a_referenced_one_and_a_young_one()
    {
        await using var host = await DomainHost.StartAsync();
        var (referenced, old, young) = await ArrangeAsync(host);

        var result = await host.Services.GetRequiredService<ArtifactSweep>().RunAsync();

        Assert.Equal((1, old.Size, false), (result.Count, result.Bytes, result.ReportOnly));
        Assert.Equal(new[] { referenced, young.Sha256 }.Order(), (await StoredAsync(host)).Order());
        var audited = await SweepEventAsync(host);
        Assert.Contains(AuditChange.FromJson(audited.Changes), c => c.Field == "unreferencedCount" && c.New == "1");
        Assert.Contains(AuditChange.FromJson(audited.Changes), c => c.Field == "unreferencedBytes" && c.New == old.Size.ToString());
    }

    [Fact]
    public async Task In_report_only_mode_the_sweep_counts_what_it_would_remove_and_removes_nothing()
    {
        await using var host = await DomainHost.StartAsync(new Dictionary<string, string?> { ["ControlPlane:Artifacts:Sweep:ReportOnly"] = "true" });
        var (referenced, old, young) = await ArrangeAsync(host);

        var result = await host.Services.GetRequiredService<ArtifactSweep>().RunAsync();

        Assert.Equal((1, old.Size, true), (result.Count, result.Bytes, result.ReportOnly));
        Assert.Equal(new[] { referenced, old.Sha256, young.Sha256 }.Order(), (await StoredAsync(host)).Order());
        Assert.Contains(AuditChange.FromJson((await SweepEventAsync(host)).Changes), c => c.Field == "unreferencedCount" && c.New == "1");
    }

    [Fact]
    public async Task An_old_artifact_published_again_after_the_sweep_listed_it_is_kept()
    {
        await using var host = await DomainHost.StartAsync();
        var store = host.Services.GetRequiredService<IArtifactStore>();
        var old = await PublishAsync(host, "old bytes", TimeSpan.FromDays(3));
        var seen = Assert.Single(await store.ListAsync(default).ToListAsync());

        // An upload of the same bytes, whose row is about to commit, renews the artifact between listing and removal.
        await PublishAsync(host, "old bytes", age: null);

        Assert.False(await store.RemoveIfUnchangedAsync(seen, default));
        Assert.Equal([old.Sha256], await StoredAsync(host));
    }

    /// <summary>A dataset version's file, an unreferenced artifact past the default grace period (1 day) and one within it.</summary>
    private static async Task<(string Referenced, StoredArtifact Old, StoredArtifact Young)> ArrangeAsync(DomainHost host)
    {
        var catalog = host.As<DatasetCatalog>(Scientist);
        await catalog.CreateAsync("payments", null, null);
        var version = await catalog.AddVersionAsync("payments", new MemoryStream(Encoding.UTF8.GetBytes("id,amount\n1,10.5\n2,20.5\n")), "p.csv", null, null);
        Age(host, version.Sha256, TimeSpan.FromDays(30));
        var old = await PublishAsync(host, "left by a failed upload two days ago", TimeSpan.FromDays(2));
        var young = await PublishAsync(host, "an upload whose row is still committing", TimeSpan.FromHours(20));
        return (version.Sha256, old, young);
    }

    private static async Task<StoredArtifact> PublishAsync(DomainHost host, string content, TimeSpan? age)
    {
        var store = host.Services.GetRequiredService<IArtifactStore>();
        await using var staged = await store.StageAsync(new MemoryStream(Encoding.UTF8.GetBytes(content)), 1 << 20, default);
        var published = await store.PublishAsync(staged, default);
        if (age is { } a)
            Age(host, staged.Sha256, a);
        return published.Artifact;
    }

    private static void Age(DomainHost host, string sha256, TimeSpan age)
    {
        var root = Path.Combine(host.Services.GetRequiredService<DatabaseSettings>().DataDirectory, "artifacts");
        File.SetLastWriteTimeUtc(ContentAddress.PathUnder(root, sha256), host.Time.GetUtcNow().UtcDateTime - age);
    }

    private static async Task<List<string>> StoredAsync(DomainHost host) =>
        await host.Services.GetRequiredService<IArtifactStore>().ListAsync(default).Select(a => a.Sha256).ToListAsync();

    private static async Task<AuditEvent> SweepEventAsync(DomainHost host)
    {
        await using var db = await host.Services.GetRequiredService<IDbContextFactory<ControlPlaneDbContext>>().CreateDbContextAsync();
        return await db.AuditEvents.AsNoTracking().SingleAsync(e => e.Action == ArtifactSweep.Action);
    }
}
