using System.Net;
using System.Text.Json;
using ControlPlane.Domain.Persistence;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace ControlPlane.Web.Tests.Apis;

[Collection(WebCollection.Name)]
public sealed class HostingTests(ControlPlaneWebFactory app)
{
    [Theory]
    [InlineData("/health/live")]
    [InlineData("/health/ready")]
    public async Task Health_endpoints_answer_without_signing_in(string path)
    {
        var response = await app.ClientWithToken(null).GetAsync(path);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("Healthy", await response.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task The_openapi_document_describes_the_api_and_its_reference_page_is_served()
    {
        var client = app.ClientWithToken(null);
        using var document = JsonDocument.Parse(await client.GetStringAsync("/openapi/v1.json"));
        var paths = document.RootElement.GetProperty("paths").EnumerateObject().Select(p => p.Name).ToList();

        Assert.Contains("/api/v1/me", paths);
        Assert.Contains("/api/v1/auth/tokens", paths);
        Assert.Contains("/api/v1/admin/users/{id}/roles", paths);
        Assert.Contains("/api/v1/system/workers", paths);
        Assert.DoesNotContain("/account/logout", paths);
        var reference = await client.GetAsync("/api-reference/");
        Assert.Equal(HttpStatusCode.OK, reference.StatusCode);
    }

    [Fact]
    public async Task Pages_redirect_anonymous_visitors_to_sign_in_and_the_login_page_renders()
    {
        var client = app.ClientWithToken(null);

        var home = await client.GetAsync("/admin/users");
        var login = await client.GetStringAsync("/account/login");

        Assert.Equal(HttpStatusCode.Redirect, home.StatusCode);
        Assert.StartsWith("/account/login", home.Headers.Location?.PathAndQuery);
        Assert.Contains("name=\"Input.UserName\"", login);
        Assert.Contains("<title>Sign in · ControlPlane</title>", login);
    }

    [Fact]
    public async Task Data_protection_keys_live_in_the_database_so_instances_share_them()
    {
        await app.ClientWithToken(null).GetStringAsync("/account/login");

        await using var db = await app.Services.GetRequiredService<IDbContextFactory<ControlPlaneDbContext>>().CreateDbContextAsync();
        Assert.NotEmpty(await db.DataProtectionKeys.ToListAsync());
    }
}
