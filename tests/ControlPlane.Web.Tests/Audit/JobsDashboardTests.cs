using System.Net;

namespace ControlPlane.Web.Tests.Audit;

/// <summary>
/// The Hangfire dashboard is for looking only: its trigger, delete and re-queue commands would bypass the audited
/// Schedules page (and could stop the audit-digest job unseen).
/// </summary>
[Collection(WebCollection.Name)]
public sealed class JobsDashboardTests(ControlPlaneWebFactory app)
{
    [Fact]
    public async Task The_dashboard_offers_no_commands_and_refuses_them()
    {
        var admin = app.ClientWithToken(ControlPlaneWebFactory.AdminToken);

        var page = await admin.GetAsync("/jobs/recurring");
        var html = await page.Content.ReadAsStringAsync();
        var remove = await admin.PostAsync("/jobs/recurring/remove", new FormUrlEncodedContent([new("jobs[]", "audit-digest")]));

        Assert.Equal(HttpStatusCode.OK, page.StatusCode);
        Assert.Contains("audit-digest", html);
        Assert.DoesNotContain("/jobs/recurring/trigger", html);
        Assert.DoesNotContain("/jobs/recurring/remove", html);
        Assert.False(remove.IsSuccessStatusCode);
        Assert.Contains("audit-digest", await (await admin.GetAsync("/jobs/recurring")).Content.ReadAsStringAsync());
    }
}
