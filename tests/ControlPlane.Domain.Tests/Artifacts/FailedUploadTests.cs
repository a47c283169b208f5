using System.Security.Cryptography;
using System.Text;
using ControlPlane.Domain.Artifacts;
using ControlPlane.Domain.Common;
using ControlPlane.Domain.Datasets;
using ControlPlane.Domain.Identity;
using ControlPlane.Domain.Persistence;
using ControlPlane.TestSupport;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace ControlPlane.Domain.Tests.Artifacts;

/// <summary>
/// An upload that fails after its file was published but before its row committed. The failure is a real one: a
/// writer that bypassed the numbering lock took the next version number, so the insert breaks the unique index.
/// </summary>
public sealed class FailedUploadTests
{
    private static readonly Actor Scientist = new("ds", "dana", new HashSet<string> { ControlPlaneRoles.DataScientist }, true);
    private static readonly byte[] Csv = Encoding.UTF8.GetBytes("id,amount\n1,10.5\n2,20.5\n3,30.5\n");

    [Fact]
    public async Task A_dataset_upload_that_fails_to_commit_leaves_no_unreferenced_artifact()
    {
        await using var host = await DomainHost.StartAsync();
        var catalog = host.As<DatasetCatalog>(Scientist);
        await catalog.CreateAsync("payments", null, null);
        await TakeNextNumberAsync(host, "payments");

        await Assert.ThrowsAsync<DbUpdateException>(() => catalog.AddVersionAsync("payments", new MemoryStream(Csv), "payments.csv", null, null));

        Assert.DoesNotContain(Convert.ToHexStringLower(SHA256.HashData(Csv)), await StoredAsync(host));
    }

    [Fact]
    public async Task A_failed_upload_of_bytes_a_committed_version_already_holds_keeps_them()
    {
        await using var host = await DomainHost.StartAsync();
        var catalog = host.As<DatasetCatalog>(Scientist);
        await catalog.CreateAsync("payments", null, null);
        var first = await catalog.AddVersionAsync("payments", new MemoryStream(Csv), "payments.csv", null, null);
        await TakeNextNumberAsync(host, "payments");

        await Assert.ThrowsAsync<DbUpdateException>(() => catalog.AddVersionAsync("payments", new MemoryStream(Csv), "again.csv", null, null));

        Assert.Contains(first.Sha256, await StoredAsync(host));
        await using var file = (await host.As<DatasetCatalog>(Scientist).OpenFileAsync("payments", first.Version)).Content;
        await file.CopyToAsync(Stream.Null); // reads to the end, so the hash is checked
    }

    /// <summary>Inserts the dataset's next version number without moving its counter, as a writer outside the catalog could.</summary>
    private static async Task TakeNextNumberAsync(DomainHost host, string name)
    {
        await using var db = await host.Services.GetRequiredService<IDbContextFactory<ControlPlaneDbContext>>().CreateDbContextAsync();
        var dataset = await db.Datasets.SingleAsync(d => d.Name == name);
        db.DatasetVersions.Add(new DatasetVersion
        {
            Id = Guid.CreateVersion7(), DatasetId = dataset.Id, Number = dataset.LatestVersionNumber + 1, Format = DatasetFormat.Csv,
            FileSha256 = new string('0', 64), SizeBytes = 1, FileName = "other.csv", Schema = "[]", ProfileStatus = ProfileStatus.Pending,
            ProfileRunId = Guid.NewGuid(), CreatedBy = "other", CreatedAtUtc = host.Time.GetUtcNow().UtcDateTime, ConcurrencyStamp = Guid.NewGuid(),
        });
        await db.SaveChangesAsync();
    }

    private static async Task<List<string>> StoredAsync(DomainHost host) =>
        await host.Services.GetRequiredService<IArtifactStore>().ListAsync(default).Select(a => a.Sha256).ToListAsync();
}
