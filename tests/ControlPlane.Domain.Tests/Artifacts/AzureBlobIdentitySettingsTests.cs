using Azure.Identity;
using ControlPlane.Domain.Artifacts;
using ControlPlane.TestSupport;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace ControlPlane.Domain.Tests.Artifacts;

/// <summary>
/// <c>ControlPlane:Artifacts:AzureBlob:ServiceUri</c> with a managed identity instead of a connection string: a
/// complete configuration picks the blob stores without touching the network; an incomplete or contradictory one
/// stops the start with a message that names the setting.
/// </summary>
public sealed class AzureBlobIdentitySettingsTests
{
    private const string Section = "ControlPlane:Artifacts:AzureBlob";
    private const string ServiceUri = "https://cpartifacts.blob.core.windows.net";
    private const string ClientId = "7f0c8a52-1d5e-4f3b-9a43-0d2a55c4e6b1";

    [Theory]
    [InlineData(null, null)]
    [InlineData("ManagedIdentity", ClientId)]
    [InlineData("defaultazurecredential", null)]
    public async Task A_service_uri_with_a_known_credential_picks_both_blob_stores(string? credential, string? clientId)
    {
        await using var host = await DomainHost.StartAsync(Settings(("ServiceUri", ServiceUri), ("Credential", credential), ("ClientId", clientId)));

        Assert.IsType<AzureBlobArtifactStore>(host.Services.GetRequiredService<IArtifactStore>());
        Assert.IsType<ControlPlane.Domain.Production.AzureBlobTelemetryStore>(host.Services.GetRequiredService<ControlPlane.Domain.Production.ITelemetryStore>());
    }

    [Fact]
    public void The_credential_setting_names_the_Azure_Identity_credential_that_is_used()
    {
        Assert.IsType<ManagedIdentityCredential>(AzureBlobCredential.From(new AzureBlobArtifactOptions { ServiceUri = ServiceUri, Credential = "ManagedIdentity" }));
        Assert.IsType<ManagedIdentityCredential>(AzureBlobCredential.From(new AzureBlobArtifactOptions { ServiceUri = ServiceUri, Credential = "managedidentity", ClientId = ClientId }));
        Assert.IsType<DefaultAzureCredential>(AzureBlobCredential.From(new AzureBlobArtifactOptions { ServiceUri = ServiceUri }));
        Assert.IsType<DefaultAzureCredential>(AzureBlobCredential.From(new AzureBlobArtifactOptions { ServiceUri = ServiceUri, Credential = "DefaultAzureCredential", ClientId = ClientId }));
    }

    [Theory]
    [InlineData("ClientId", ClientId, $"{Section}:Credential and {Section}:ClientId apply only with {Section}:ServiceUri, which is not set.")]
    [InlineData("Credential", "ManagedIdentity", $"{Section}:Credential and {Section}:ClientId apply only with {Section}:ServiceUri, which is not set.")]
    public async Task A_credential_setting_without_a_service_uri_stops_the_start(string key, string value, string message)
    {
        var error = await Assert.ThrowsAsync<OptionsValidationException>(() => DomainHost.StartAsync(Settings((key, value))));

        Assert.Contains(message, error.Message);
        Assert.Contains($"{Section}:ConnectionString or {Section}:ServiceUri (with a managed identity) is required", error.Message);
    }

    [Fact]
    public async Task A_connection_string_and_a_service_uri_together_stop_the_start_without_showing_the_secret()
    {
        var error = await Assert.ThrowsAsync<OptionsValidationException>(() =>
            DomainHost.StartAsync(Settings(("ServiceUri", ServiceUri), ("ConnectionString", AzuriteServer.For(9)))));

        Assert.Contains($"{Section}:ConnectionString and {Section}:ServiceUri are both set; set one", error.Message);
        Assert.DoesNotContain(AzuriteServer.AccountKey, error.ToString());
    }

    [Theory]
    [InlineData("http://cpartifacts.blob.core.windows.net", "is not an https URI")]
    [InlineData("cpartifacts.blob.core.windows.net", "is not an https URI")]
    [InlineData("https://cpartifacts.blob.core.windows.net/?sv=2024-01-01&sig=c2VjcmV0", "must carry no query or user")]
    public async Task A_service_uri_that_is_not_a_plain_https_endpoint_stops_the_start(string uri, string message)
    {
        var error = await Assert.ThrowsAsync<OptionsValidationException>(() => DomainHost.StartAsync(Settings(("ServiceUri", uri))));

        Assert.Contains($"{Section}:ServiceUri", error.Message);
        Assert.Contains(message, error.Message);
        Assert.DoesNotContain("c2VjcmV0", error.Message);
    }

    [Theory]
    [InlineData("Credential", "AzureCli", $"{Section}:Credential 'AzureCli' is not one of DefaultAzureCredential, ManagedIdentity.")]
    [InlineData("ClientId", "my-identity", $"{Section}:ClientId 'my-identity' is not a client id (a GUID).")]
    public async Task An_unknown_credential_or_a_client_id_that_is_no_GUID_stops_the_start(string key, string value, string message)
    {
        var error = await Assert.ThrowsAsync<OptionsValidationException>(() => DomainHost.StartAsync(Settings(("ServiceUri", ServiceUri), (key, value))));

        Assert.Contains(message, error.Message);
    }

    private static Dictionary<string, string?> Settings(params (string Key, string? Value)[] blob)
    {
        var settings = new Dictionary<string, string?> { ["ControlPlane:Artifacts:Provider"] = "AzureBlob" };
        foreach (var (key, value) in blob)
            settings[$"{Section}:{key}"] = value;
        return settings;
    }
}
