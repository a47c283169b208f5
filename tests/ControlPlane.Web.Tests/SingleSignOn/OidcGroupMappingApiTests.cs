using System.Net;
using System.Net.Http.Json;
using ControlPlane.Domain.Audit;
using ControlPlane.Domain.Common;
using ControlPlane.Domain.Identity;
using ControlPlane.Domain.Identity.Oidc;
using ControlPlane.Web.Apis;

namespace ControlPlane.Web.Tests.SingleSignOn;

/// <summary>The admin API of group → role mappings: only admins, whole-set replacement, every change audited, bad input stores nothing.</summary>
[Collection(WebCollection.Name)]
public sealed class OidcGroupMappingApiTests(ControlPlaneWebFactory app)
{
    private const string Route = "/api/v1/admin/oidc/group-mappings";

    private HttpClient Admin => app.ClientWithToken(ControlPlaneWebFactory.AdminToken);

    [Fact]
    public async Task An_admin_replaces_the_set_reads_it_back_and_each_change_is_one_audit_event()
    {
        (await Admin.PutAsJsonAsync(Route, new GroupMappingsRequest([]))).EnsureSuccessStatusCode(); // whatever other tests left
        var before = (await app.EventsAsync(AuditActions.OidcGroupMappingsChanged)).Count;

        var first = await Admin.PutAsJsonAsync(Route, new GroupMappingsRequest([
            new GroupMappingItem("cp-reviewers", ControlPlaneRoles.ComplianceReviewer),
            new GroupMappingItem(" cp-admins ", ControlPlaneRoles.Admin), // trimmed
            new GroupMappingItem("cp-admins", ControlPlaneRoles.Admin), // the same mapping twice counts once
        ]));
        Assert.Equal(HttpStatusCode.OK, first.StatusCode);
        var read = await Admin.GetFromJsonAsync<GroupMappingsResponse>(Route);
        Assert.Equal([new GroupMappingView("cp-admins", ControlPlaneRoles.Admin), new GroupMappingView("cp-reviewers", ControlPlaneRoles.ComplianceReviewer)], read!.Mappings);

        var second = await Admin.PutAsJsonAsync(Route, new GroupMappingsRequest([new GroupMappingItem("cp-reviewers", ControlPlaneRoles.ComplianceReviewer)]));
        Assert.Equal(HttpStatusCode.OK, second.StatusCode);
        Assert.Equal([new GroupMappingView("cp-reviewers", ControlPlaneRoles.ComplianceReviewer)], (await Admin.GetFromJsonAsync<GroupMappingsResponse>(Route))!.Mappings);

        // Sending the same set again changes nothing and records nothing.
        (await Admin.PutAsJsonAsync(Route, new GroupMappingsRequest([new GroupMappingItem("cp-reviewers", ControlPlaneRoles.ComplianceReviewer)]))).EnsureSuccessStatusCode();
        var events = (await app.EventsAsync(AuditActions.OidcGroupMappingsChanged)).Skip(before).ToList();
        Assert.Equal(2, events.Count);
        Assert.Equal("2 added, 0 removed; now: cp-admins → Admin, cp-reviewers → ComplianceReviewer", events[0].Reason);
        Assert.Equal("0 added, 1 removed; now: cp-reviewers → ComplianceReviewer", events[1].Reason);
        Assert.Contains("cp-admins", events[1].Changes); // the removed row is in the event's changes
    }

    [Fact]
    public async Task A_data_scientist_gets_403_through_the_api_and_from_the_service_and_nothing_changes()
    {
        (await Admin.PutAsJsonAsync(Route, new GroupMappingsRequest([new GroupMappingItem("kept", ControlPlaneRoles.DataScientist)]))).EnsureSuccessStatusCode();
        using var scientist = app.ClientWithToken(app.RoleTokens[ControlPlaneRoles.DataScientist]);
        using var reviewer = app.ClientWithToken(app.RoleTokens[ControlPlaneRoles.ComplianceReviewer]);

        Assert.Equal(HttpStatusCode.Forbidden, (await scientist.GetAsync(Route)).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await scientist.PutAsJsonAsync(Route, new GroupMappingsRequest([new GroupMappingItem("mine", ControlPlaneRoles.Admin)]))).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await reviewer.PutAsJsonAsync(Route, new GroupMappingsRequest([new GroupMappingItem("mine", ControlPlaneRoles.Admin)]))).StatusCode);
        // The way around the endpoint: the service itself refuses a caller without the Admin role.
        var asScientist = app.As<OidcGroupMappings>(SsoTestData.ActorOf("someone", "someone", ControlPlaneRoles.DataScientist, ControlPlaneRoles.ComplianceReviewer));
        await Assert.ThrowsAsync<ForbiddenException>(() => asScientist.ReplaceAsync([new GroupMappingView("mine", ControlPlaneRoles.Admin)]));
        await Assert.ThrowsAsync<ForbiddenException>(() => asScientist.ListAsync());

        Assert.Equal([new GroupMappingView("kept", ControlPlaneRoles.DataScientist)], (await Admin.GetFromJsonAsync<GroupMappingsResponse>(Route))!.Mappings);
    }

    [Theory]
    [InlineData("""{"mappings":[{"group":"ok","role":"DataScientist"},{"group":"g","role":"Owner"}]}""", "role")]
    [InlineData("""{"mappings":[{"group":"ok","role":"DataScientist"},{"group":"  ","role":"Admin"}]}""", "group")]
    [InlineData("""{"mappings":null}""", "mappings")]
    public async Task Bad_input_is_a_400_naming_the_field_and_stores_nothing(string body, string field)
    {
        (await Admin.PutAsJsonAsync(Route, new GroupMappingsRequest([new GroupMappingItem("kept", ControlPlaneRoles.DataScientist)]))).EnsureSuccessStatusCode();

        var response = await Admin.PutAsync(Route, new StringContent(body, System.Text.Encoding.UTF8, "application/json"));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains($"\"{field}\"", await response.Content.ReadAsStringAsync());
        Assert.Equal([new GroupMappingView("kept", ControlPlaneRoles.DataScientist)], (await Admin.GetFromJsonAsync<GroupMappingsResponse>(Route))!.Mappings);
    }
}
