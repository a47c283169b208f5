using System.Net;
using System.Net.Http.Json;
using ControlPlane.Domain.Identity;

namespace ControlPlane.Web.Tests.Apis;

/// <summary>Every role against every admin endpoint: only Admin gets past authorization.</summary>
[Collection(WebCollection.Name)]
public sealed class RoleEnforcementTests(ControlPlaneWebFactory app)
{
    public static TheoryData<string, string> AdminEndpoints => new()
    {
        { "GET", "/api/v1/admin/users" },
        { "GET", "/api/v1/admin/users/{id}" },
        { "POST", "/api/v1/admin/users" },
        { "PUT", "/api/v1/admin/users/{id}/roles" },
        { "POST", "/api/v1/admin/users/{id}/disable" },
        { "POST", "/api/v1/admin/users/{id}/enable" },
        { "GET", "/api/v1/system/workers" },
        { "POST", "/api/v1/system/self-tests" },
        { "GET", "/api/v1/system/self-tests/00000000-0000-0000-0000-000000000001" },
        { "GET", "/jobs" },
        { "POST", "/api/v1/audit/digests" },
    };

    public static TheoryData<string, string> ReviewerEndpoints => new()
    {
        { "GET", "/api/v1/audit" },
        { "GET", "/api/v1/audit/history/user/x" },
        { "POST", "/api/v1/audit/verify" },
        { "GET", "/api/v1/audit/export?format=csv" },
    };

    [Theory]
    [MemberData(nameof(ReviewerEndpoints))]
    public async Task Audit_reading_is_for_reviewers_and_admins_only(string method, string path)
    {
        Assert.Equal(HttpStatusCode.Forbidden, (await SendAsync(ControlPlaneRoles.DataScientist, method, path)).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await SendAsync(null, method, path)).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await SendAsync(ControlPlaneRoles.ComplianceReviewer, method, path)).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await SendAsync(ControlPlaneRoles.Admin, method, path)).StatusCode);
    }

    [Theory]
    [MemberData(nameof(AdminEndpoints))]
    public async Task Data_scientists_are_forbidden(string method, string path) =>
        Assert.Equal(HttpStatusCode.Forbidden, (await SendAsync(ControlPlaneRoles.DataScientist, method, path)).StatusCode);

    [Theory]
    [MemberData(nameof(AdminEndpoints))]
    public async Task Compliance_reviewers_are_forbidden(string method, string path) =>
        Assert.Equal(HttpStatusCode.Forbidden, (await SendAsync(ControlPlaneRoles.ComplianceReviewer, method, path)).StatusCode);

    [Theory]
    [MemberData(nameof(AdminEndpoints))]
    public async Task Anonymous_callers_are_unauthorized_or_sent_to_sign_in(string method, string path)
    {
        var response = await SendAsync(null, method, path);

        if (path.StartsWith("/api/", StringComparison.Ordinal))
            Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        else
            Assert.StartsWith("/account/login", response.Headers.Location?.PathAndQuery);
    }

    [Theory]
    [MemberData(nameof(AdminEndpoints))]
    public async Task Admins_get_past_authorization(string method, string path)
    {
        var status = (await SendAsync(ControlPlaneRoles.Admin, method, path)).StatusCode;

        Assert.NotEqual(HttpStatusCode.Unauthorized, status);
        Assert.NotEqual(HttpStatusCode.Forbidden, status);
        Assert.NotEqual(HttpStatusCode.InternalServerError, status);
    }

    private async Task<HttpResponseMessage> SendAsync(string? role, string method, string path)
    {
        var client = app.ClientWithToken(role is null ? null : app.RoleTokens[role]);
        var request = new HttpRequestMessage(new HttpMethod(method), path.Replace("{id}", "no-such-user"));
        if (method is "POST" or "PUT")
            request.Content = JsonContent.Create(new { queue = "default", roles = Array.Empty<string>(), userName = "", email = "", password = "" });
        return await client.SendAsync(request);
    }
}
