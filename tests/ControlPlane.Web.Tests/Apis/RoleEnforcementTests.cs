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
        { "GET", "/api/v1/admin/oidc/group-mappings" },
        { "PUT", "/api/v1/admin/oidc/group-mappings" },
        { "POST", "/api/v1/admin/users/{id}/disable" },
        { "POST", "/api/v1/admin/users/{id}/enable" },
        { "GET", "/api/v1/system/workers" },
        { "POST", "/api/v1/system/self-tests" },
        { "GET", "/api/v1/system/self-tests/00000000-0000-0000-0000-000000000001" },
        { "GET", "/jobs" },
        { "POST", "/api/v1/audit/digests" },
        { "PUT", "/api/v1/policies/global" },
        { "PUT", "/api/v1/policies/models/no-such-model" },
        { "GET", "/api/v1/webhooks" },
        { "POST", "/api/v1/webhooks" },
        { "PUT", "/api/v1/webhooks/00000000-0000-0000-0000-000000000001" },
        { "DELETE", "/api/v1/webhooks/00000000-0000-0000-0000-000000000001" },
        { "GET", "/api/v1/webhooks/00000000-0000-0000-0000-000000000001/deliveries" },
        { "GET", "/api/v1/schedules" },
        { "POST", "/api/v1/schedules" },
        { "GET", "/api/v1/schedules/audit-digest" },
        { "PUT", "/api/v1/schedules/audit-digest" },
        { "DELETE", "/api/v1/schedules/audit-digest" },
        { "POST", "/api/v1/schedules/audit-digest/pause" },
        { "POST", "/api/v1/schedules/audit-digest/resume" },
        { "POST", "/api/v1/schedules/audit-digest/trigger" },
        { "GET", "/api/v1/schedules/audit-digest/history" },
        { "POST", "/api/v1/schedules/proposals/00000000-0000-0000-0000-000000000001/approve" },
        { "POST", "/api/v1/schedules/proposals/00000000-0000-0000-0000-000000000001/reject" },
    };

    public static TheoryData<string, string> ProposalEndpoints => new()
    {
        { "GET", "/api/v1/schedules/proposals" },
        { "POST", "/api/v1/schedules/proposals" },
    };

    public static TheoryData<string, string> HoldEndpoints => new()
    {
        { "PUT", "/api/v1/models/no-such-model/hold" },
        { "DELETE", "/api/v1/models/no-such-model/hold?reason=x" },
    };

    public static TheoryData<string, string> ReviewerEndpoints => new()
    {
        { "GET", "/api/v1/audit" },
        { "GET", "/api/v1/audit/history/user/x" },
        { "POST", "/api/v1/audit/verify" },
        { "GET", "/api/v1/audit/export?format=csv" },
    };

    public static TheoryData<string, string> RegistryWriteEndpoints => new()
    {
        { "POST", "/api/v1/models" },
        { "PATCH", "/api/v1/models/no-such-model" },
        { "POST", "/api/v1/models/no-such-model/versions" },
        { "POST", "/api/v1/models/no-such-model/versions/1/stage" },
        { "PUT", "/api/v1/models/no-such-model/aliases/stable" },
        { "DELETE", "/api/v1/models/no-such-model/aliases/stable" },
        { "POST", "/api/v1/datasets" },
        { "PATCH", "/api/v1/datasets/no-such-data" },
        { "POST", "/api/v1/datasets/no-such-data/versions" },
        { "PATCH", "/api/v1/datasets/no-such-data/versions/1/schema" },
        { "POST", "/api/v1/evaluations" },
        { "POST", "/api/v1/drift/monitors" },
        { "PUT", "/api/v1/drift/monitors/00000000-0000-0000-0000-000000000001" },
        { "POST", "/api/v1/drift/monitors/00000000-0000-0000-0000-000000000001/runs" },
        { "POST", "/api/v1/training/specs" },
        { "PUT", "/api/v1/training/specs/00000000-0000-0000-0000-000000000001" },
        { "POST", "/api/v1/training/specs/00000000-0000-0000-0000-000000000001/runs" },
        { "POST", "/api/v1/training/runs/00000000-0000-0000-0000-000000000001/cancel" },
    };

    public static TheoryData<string, string> RegistryReadEndpoints => new()
    {
        { "GET", "/api/v1/models" },
        { "GET", "/api/v1/models/no-such-model" },
        { "GET", "/api/v1/models/no-such-model/versions" },
        { "GET", "/api/v1/models/no-such-model/versions/1" },
        { "GET", "/api/v1/models/no-such-model/versions/1/artifact" },
        { "GET", "/api/v1/models/no-such-model/versions/1/stages" },
        { "GET", "/api/v1/models/no-such-model/aliases" },
        { "GET", "/api/v1/datasets" },
        { "GET", "/api/v1/datasets/no-such-data" },
        { "GET", "/api/v1/datasets/no-such-data/versions" },
        { "GET", "/api/v1/datasets/no-such-data/versions/1" },
        { "GET", "/api/v1/datasets/no-such-data/versions/1/preview" },
        { "GET", "/api/v1/datasets/no-such-data/versions/1/file" },
        { "GET", "/api/v1/datasets/no-such-data/versions/1/compatibility?model=m&modelVersion=1" },
        { "GET", "/api/v1/evaluations/00000000-0000-0000-0000-000000000001" },
        { "GET", "/api/v1/drift/monitors/00000000-0000-0000-0000-000000000001" },
        { "GET", "/api/v1/drift/monitors/00000000-0000-0000-0000-000000000001/runs" },
        { "GET", "/api/v1/drift/runs/00000000-0000-0000-0000-000000000001" },
        { "GET", "/api/v1/promotions" },
        { "GET", "/api/v1/promotions/00000000-0000-0000-0000-000000000001" },
        { "GET", "/api/v1/models/no-such-model/hold" },
        { "GET", "/api/v1/models/no-such-model/production-history" },
        { "GET", "/api/v1/policies" },
        { "GET", "/api/v1/policies/global" },
        { "GET", "/api/v1/policies/global/history" },
        { "GET", "/api/v1/policies/models/no-such-model" },
        { "GET", "/api/v1/training/trainers" },
        { "GET", "/api/v1/training/specs" },
        { "GET", "/api/v1/training/specs/00000000-0000-0000-0000-000000000001" },
        { "GET", "/api/v1/training/runs" },
        { "GET", "/api/v1/training/runs/00000000-0000-0000-0000-000000000001" },
        { "GET", "/api/v1/search?q=no-such-thing" },
    };

    private static readonly HashSet<string> Listings = ["/api/v1/models", "/api/v1/datasets", "/api/v1/promotions", "/api/v1/policies", "/api/v1/policies/global",
        "/api/v1/policies/global/history", "/api/v1/training/trainers", "/api/v1/training/specs", "/api/v1/training/runs"];

    [Theory]
    [MemberData(nameof(RegistryWriteEndpoints))]
    [MemberData(nameof(ProposalEndpoints))]
    public async Task Registry_writes_are_for_data_scientists_and_admins(string method, string path)
    {
        Assert.Equal(HttpStatusCode.Unauthorized, (await SendAsync(null, method, path)).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await SendAsync(ControlPlaneRoles.ComplianceReviewer, method, path)).StatusCode);
        foreach (var role in new[] { ControlPlaneRoles.DataScientist, ControlPlaneRoles.Admin })
        {
            var status = (await SendAsync(role, method, path)).StatusCode;
            Assert.True(status is not (HttpStatusCode.Unauthorized or HttpStatusCode.Forbidden or HttpStatusCode.InternalServerError), $"{role}: {status}");
        }
    }

    [Theory]
    [MemberData(nameof(RegistryReadEndpoints))]
    public async Task Every_role_reads_the_registry(string method, string path)
    {
        Assert.Equal(HttpStatusCode.Unauthorized, (await SendAsync(null, method, path)).StatusCode);
        var expected = Listings.Contains(path) || path.StartsWith("/api/v1/search", StringComparison.Ordinal) ? HttpStatusCode.OK : HttpStatusCode.NotFound;
        foreach (var role in ControlPlaneRoles.All)
            Assert.Equal(expected, (await SendAsync(role, method, path)).StatusCode);
    }

    [Theory]
    [MemberData(nameof(HoldEndpoints))]
    public async Task Holds_are_for_reviewers_and_admins(string method, string path)
    {
        Assert.Equal(HttpStatusCode.Unauthorized, (await SendAsync(null, method, path)).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await SendAsync(ControlPlaneRoles.DataScientist, method, path)).StatusCode);
        foreach (var role in new[] { ControlPlaneRoles.ComplianceReviewer, ControlPlaneRoles.Admin })
        {
            var status = (await SendAsync(role, method, path)).StatusCode;
            Assert.True(status is not (HttpStatusCode.Unauthorized or HttpStatusCode.Forbidden or HttpStatusCode.InternalServerError), $"{role}: {status}");
        }
    }

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
        if (method is "POST" or "PUT" or "PATCH")
            request.Content = JsonContent.Create(new { queue = "default", roles = Array.Empty<string>(), userName = "", email = "", password = "" });
        return await client.SendAsync(request);
    }
}
