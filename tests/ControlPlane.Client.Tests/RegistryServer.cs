using System.Net.Http.Headers;
using System.Net.Http.Json;
using ControlPlane.TestSupport;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;

namespace ControlPlane.Client.Tests;

/// <summary>
/// The real ControlPlane server (whole pipeline, real SQLite file, real artifact store) in memory, bootstrapped with
/// an admin token. One per test run: Hangfire's configuration is process-wide.
/// </summary>
public sealed class RegistryServer : WebApplicationFactory<Program>, IAsyncLifetime
{
    public const string Token = "cpat_client-tests-bootstrap-admin-token-0123456789";
    private readonly TempDirectory _data = new("cp-client");

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        builder.UseEnvironment("Testing");
        builder.UseSetting("ControlPlane:DataDirectory", _data.Path);
        builder.UseSetting("ControlPlane:Bootstrap:AdminEmail", "admin@example.test");
        builder.UseSetting("ControlPlane:Bootstrap:AdminUserName", "admin");
        builder.UseSetting("ControlPlane:Bootstrap:AdminPassword", "correct horse battery");
        builder.UseSetting("ControlPlane:Bootstrap:AdminApiToken", Token);
        builder.UseSetting("ControlPlane:RateLimits:PerClient", "1000000");
        builder.UseSetting("Workers:ServerName", "client-tests-in-process");
    }

    /// <summary>A ControlPlaneClient over the in-memory server, optionally through handlers that sit on the wire.</summary>
    public ControlPlaneClient Client(params DelegatingHandler[] onTheWire) => new(CreateDefaultClient(onTheWire), Token);

    public HttpClient Admin()
    {
        var http = CreateDefaultClient();
        http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", Token);
        return http;
    }

    public async Task<string> CreateModelAsync(string prefix)
    {
        var name = $"{prefix}-{Guid.NewGuid():N}"[..(prefix.Length + 13)];
        using var admin = Admin();
        (await admin.PostAsJsonAsync("/api/v1/models", new { name })).EnsureSuccessStatusCode();
        return name;
    }

    /// <summary>Registers the bytes as the next version; returns its SHA-256.</summary>
    public async Task<string> RegisterAsync(string model, byte[] file, string fileName = "model.onnx")
    {
        using var admin = Admin();
        using var form = new MultipartFormDataContent();
        var content = new ByteArrayContent(file);
        content.Headers.ContentType = new MediaTypeHeaderValue("application/octet-stream");
        form.Add(content, "file", fileName);
        var response = await admin.PostAsync($"/api/v1/models/{model}/versions", form);
        Assert.True(response.IsSuccessStatusCode, await response.Content.ReadAsStringAsync());
        return (await response.Content.ReadFromJsonAsync<ModelVersionInfo>(ControlPlaneClient.Json))!.Sha256;
    }

    public async Task SetAliasAsync(string model, string alias, int version)
    {
        using var admin = Admin();
        var response = await admin.PutAsJsonAsync($"/api/v1/models/{model}/aliases/{alias}", new { version, reason = "test move" });
        Assert.True(response.IsSuccessStatusCode, await response.Content.ReadAsStringAsync());
    }

    public Task InitializeAsync() => Task.CompletedTask;

    async Task IAsyncLifetime.DisposeAsync()
    {
        await base.DisposeAsync();
        _data.Dispose();
    }
}

[CollectionDefinition(Name)]
public sealed class ServerCollection : ICollectionFixture<RegistryServer>
{
    public const string Name = "registry-server";
}
