using ControlPlane.Domain.Artifacts;
using ControlPlane.TestSupport;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace ControlPlane.Domain.Tests.Artifacts;

/// <summary><c>ControlPlane:Artifacts:Provider</c> picks the store; a wrong value or missing setting stops the start with a message that names it.</summary>
public sealed class ArtifactProviderSelectionTests
{
    // Well-formed, but nothing listens there: choosing a store must not touch the network.
    private static readonly string Unreachable = AzuriteServer.For(9);

    [Fact]
    public async Task The_file_system_is_the_default()
    {
        await using var host = await DomainHost.StartAsync();

        Assert.IsType<FileSystemArtifactStore>(host.Services.GetRequiredService<IArtifactStore>());
    }

    [Theory]
    [InlineData("AzureBlob")]
    [InlineData("azureblob")]
    public async Task AzureBlob_picks_the_blob_store(string provider)
    {
        await using var host = await DomainHost.StartAsync(Settings(provider, Unreachable));

        Assert.IsType<AzureBlobArtifactStore>(host.Services.GetRequiredService<IArtifactStore>());
    }

    [Theory]
    [InlineData("S3")]
    [InlineData("1")]
    [InlineData("")]
    public async Task An_unknown_provider_stops_the_start(string provider)
    {
        var error = await Assert.ThrowsAsync<OptionsValidationException>(() => DomainHost.StartAsync(Settings(provider, null)));

        Assert.Contains($"ControlPlane:Artifacts:Provider '{provider}' is not one of FileSystem, AzureBlob", error.Message);
    }

    [Fact]
    public async Task AzureBlob_without_a_connection_string_stops_the_start()
    {
        var error = await Assert.ThrowsAsync<OptionsValidationException>(() => DomainHost.StartAsync(Settings("AzureBlob", null)));

        Assert.Contains("ControlPlane:Artifacts:AzureBlob:ConnectionString or ControlPlane:Artifacts:AzureBlob:ServiceUri (with a managed identity) is required", error.Message);
    }

    [Fact]
    public async Task A_malformed_connection_string_stops_the_start_without_showing_it()
    {
        const string secret = "AccountKey=not-really-a-key-but-secret;Nonsense";

        var error = await Assert.ThrowsAsync<OptionsValidationException>(() => DomainHost.StartAsync(Settings("AzureBlob", secret)));

        Assert.Contains("ControlPlane:Artifacts:AzureBlob:ConnectionString is not an Azure Storage connection string", error.Message);
        Assert.DoesNotContain("not-really-a-key", error.ToString());
    }

    [Theory]
    [InlineData("Artifacts")]
    [InlineData("ab")]
    [InlineData("a--b")]
    public async Task A_container_name_Azure_would_refuse_stops_the_start(string container)
    {
        var settings = Settings("AzureBlob", Unreachable);
        settings["ControlPlane:Artifacts:AzureBlob:Container"] = container;

        var error = await Assert.ThrowsAsync<OptionsValidationException>(() => DomainHost.StartAsync(settings));

        Assert.Contains($"ControlPlane:Artifacts:AzureBlob:Container '{container}' is not a container name", error.Message);
    }

    private static Dictionary<string, string?> Settings(string provider, string? connectionString) => new()
    {
        ["ControlPlane:Artifacts:Provider"] = provider,
        ["ControlPlane:Artifacts:AzureBlob:ConnectionString"] = connectionString,
    };
}
