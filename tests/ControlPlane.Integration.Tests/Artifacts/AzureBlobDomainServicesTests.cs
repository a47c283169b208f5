using System.Text;
using Azure.Storage.Blobs;
using ControlPlane.Domain.Artifacts;
using ControlPlane.Domain.Common;
using ControlPlane.Domain.Datasets;
using ControlPlane.Domain.Identity;
using ControlPlane.Domain.Persistence;
using ControlPlane.Domain.Registry;
using ControlPlane.TestModels;
using ControlPlane.TestSupport;
using ControlPlane.Workers.Inspection;
using Microsoft.Extensions.DependencyInjection;

namespace ControlPlane.Integration.Tests.Artifacts;

/// <summary>The registry and the dataset catalog, configured as a deployment would be, keeping their files in Azurite.</summary>
public sealed class AzureBlobDomainServicesTests
{
    private static readonly Actor Scientist = new("ds", "dana", new HashSet<string> { ControlPlaneRoles.DataScientist }, true);

    [Fact]
    public async Task Model_and_dataset_uploads_land_in_the_container_and_read_back_after_the_local_cache_is_gone()
    {
        var containerName = AzuriteServer.NewContainerName();
        var container = new BlobContainerClient(AzuriteServer.ConnectionString, containerName);
        await using var host = await DomainHost.StartAsync(new Dictionary<string, string?>
        {
            ["ControlPlane:Artifacts:Provider"] = "AzureBlob",
            ["ControlPlane:Artifacts:AzureBlob:ConnectionString"] = AzuriteServer.ConnectionString,
            ["ControlPlane:Artifacts:AzureBlob:Container"] = containerName,
        }, services: s => s.AddSingleton<IArtifactInspector, ArtifactInspector>());
        try
        {
            var model = HandBuiltOnnx.Identity();
            var csv = Encoding.UTF8.GetBytes("id,amount,segment\n1,10.5,a\n2,20.5,b\n3,30.5,a\n");
            var registry = host.As<ModelRegistry>(Scientist);
            await registry.CreateModelAsync("scorer", null, null);
            var version = await registry.RegisterVersionAsync("scorer", new MemoryStream(model), "model.onnx", null);
            var catalog = host.As<DatasetCatalog>(Scientist);
            await catalog.CreateAsync("payments", null, null);
            var data = await catalog.AddVersionAsync("payments", new MemoryStream(csv), "payments.csv", null, null);

            Assert.Equal(ProfileStatus.Ready, data.ProfileStatus);
            var blobs = new List<string>();
            await foreach (var blob in container.GetBlobsAsync())
                blobs.Add(blob.Name);
            Assert.Equal(new[] { ContentAddress.Of(version.Sha256), ContentAddress.Of(data.Sha256) }.Order(), blobs.Order());

            // Another machine, or an emptied cache: everything must come from the container again.
            var dataDirectory = host.Services.GetRequiredService<DatabaseSettings>().DataDirectory;
            Directory.Delete(Path.Combine(dataDirectory, "artifact-cache"), recursive: true);
            Assert.False(Directory.Exists(Path.Combine(dataDirectory, "artifacts")));

            var download = await host.As<ModelRegistry>(Scientist).OpenArtifactAsync("scorer", version.Version);
            Assert.Equal(model, await ReadAllAsync(download.Content));
            var file = await host.As<DatasetCatalog>(Scientist).OpenFileAsync("payments", data.Version);
            Assert.Equal(csv, await ReadAllAsync(file.Content));
            var preview = await host.As<DatasetCatalog>(Scientist).PreviewAsync("payments", data.Version, 10);
            Assert.Equal(["3", "30.5", "a"], preview.Rows[2]);
            var profile = await host.Services.GetRequiredService<DatasetProfiling>().ComputeAsync(data.Sha256, data.Format, data.Schema, verifyHash: true, null, default);
            Assert.Equal(20.5, profile.Columns.Single(c => c.Name == "amount").Numeric!.Mean, 6);

            var audit = await host.VerifyAuditAsync();
            Assert.True(audit.Intact, audit.Problem);
        }
        finally
        {
            await container.DeleteIfExistsAsync();
        }
    }

    private static async Task<byte[]> ReadAllAsync(Stream content)
    {
        await using (content)
        {
            var copy = new MemoryStream();
            await content.CopyToAsync(copy);
            return copy.ToArray();
        }
    }
}
