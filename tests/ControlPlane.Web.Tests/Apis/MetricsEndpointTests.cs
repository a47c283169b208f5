using System.Net;
using ControlPlane.Domain.Identity;

namespace ControlPlane.Web.Tests.Apis;

/// <summary><c>/metrics</c> on the app's own port: an Admin's bearer token only.</summary>
[Collection(WebCollection.Name)]
public sealed class MetricsEndpointTests(ControlPlaneWebFactory app)
{
    [Fact]
    public async Task Anonymous_callers_are_asked_for_a_bearer_token()
    {
        var response = await app.ClientWithToken(null).GetAsync("/metrics");

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.Equal("Bearer", response.Headers.WwwAuthenticate.ToString());
        Assert.DoesNotContain("http_server", await response.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task An_unknown_token_is_refused()
    {
        var response = await app.ClientWithToken("cpat_not-a-real-token-0123456789abcdef").GetAsync("/metrics");

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
    }

    [Theory]
    [InlineData(ControlPlaneRoles.DataScientist)]
    [InlineData(ControlPlaneRoles.ComplianceReviewer)]
    public async Task Other_roles_are_forbidden(string role)
    {
        var response = await app.ClientWithToken(app.RoleTokens[role]).GetAsync("/metrics");

        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
        Assert.DoesNotContain("http_server", await response.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task An_admin_reads_the_request_metrics_in_prometheus_text_format()
    {
        using var admin = app.ClientWithToken(ControlPlaneWebFactory.AdminToken);
        (await admin.GetAsync("/api/v1/me")).EnsureSuccessStatusCode();

        var response = await admin.GetAsync("/metrics");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.StartsWith("text/plain", response.Content.Headers.ContentType?.MediaType);
        Assert.Contains("http_server_request_duration_seconds_count{", await response.Content.ReadAsStringAsync());
    }
}
