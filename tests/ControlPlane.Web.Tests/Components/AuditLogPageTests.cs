using System.Text;
using Bunit;
using ControlPlane.Domain.Audit;
using ControlPlane.Domain.Common;
using ControlPlane.Domain.Identity;
using ControlPlane.TestModels;
using ControlPlane.Web.Components.Pages.Audit;
using ControlPlane.Web.Auth;
using Microsoft.Extensions.DependencyInjection;

namespace ControlPlane.Web.Tests.Components;

/// <summary>The audit page over the real trail: entities by name with links, one-line times, filters from what is on record.</summary>
public sealed class AuditLogPageTests : RegistryComponentContext
{
    private static readonly Actor Admin = new("admin-id", "ada", new HashSet<string> { ControlPlaneRoles.Admin }, true);

    protected override async Task SeedAsync()
    {
        await Registry.CreateModelAsync("fraud-scorer", null, null);
        await using (var model = new MemoryStream(HandBuiltOnnx.LogisticRegressionWithZipMap([1f, 0f, 0f], 0f)))
            await Registry.RegisterVersionAsync("fraud-scorer", model, "m.onnx", null);
        await Datasets.CreateAsync("claims", null, null);
        await using (var file = new MemoryStream(Encoding.UTF8.GetBytes("f1,label\n1,0\n")))
            await Datasets.AddVersionAsync("claims", file, "data.csv", null, null);
        await Host.As<UserAdministration>(Admin).CreateAsync(new NewUser("bob", "bob@example.test", "correct horse battery", [ControlPlaneRoles.DataScientist]));
        Ctx.Services.AddSingleton(Host.As<AuditTrail>(Admin));
        Ctx.AddAuthorization().SetAuthorized(Admin.Name).SetRoles(ControlPlaneRoles.Admin).SetPolicies(Policies.Admin, Policies.Reviewer);
    }

    [Fact]
    public void Entities_are_named_and_linked_to_their_pages_with_the_raw_id_on_hover()
    {
        var page = Ctx.Render<ControlPlane.Web.Components.Pages.Audit.AuditLog>();

        page.WaitForAssertion(() => Assert.NotEmpty(page.FindAll("[data-testid=audit-subject]")));
        var links = page.FindAll("a[data-testid=audit-subject]").Select(a => (Text: a.TextContent, Href: a.GetAttribute("href"), Title: a.GetAttribute("title"))).ToList();
        Assert.Contains(links, l => l is { Text: "fraud-scorer", Href: "/models/fraud-scorer" } && l.Title!.StartsWith("model / ", StringComparison.Ordinal));
        Assert.Contains(links, l => l is { Text: "fraud-scorer v1", Href: "/models/fraud-scorer/versions/1" });
        Assert.Contains(links, l => l is { Text: "claims v1", Href: "/datasets/claims/versions/1" });
        // A user has no page of their own here: named, not linked.
        Assert.Contains(page.FindAll("span[data-testid=audit-subject]"), s => s.TextContent == "bob");
        Assert.DoesNotContain(page.FindAll("td"), td => td.TextContent.Contains("model / ", StringComparison.Ordinal));
        Assert.All(page.FindAll("td.audit-time"), td => Assert.Matches(@"^\d{4}-\d{2}-\d{2} \d{2}:\d{2} UTC$", td.TextContent.Trim()));
        Assert.NotEmpty(page.FindAll("td.audit-time"));
    }

    [Fact]
    public async Task The_filters_offer_the_actions_types_and_people_on_record_but_not_one_actor_per_job()
    {
        // As the job filter records a job's run: the actor is the job.
        await Host.Services.GetRequiredService<ControlPlane.Domain.Audit.AuditLog>()
            .RecordAsync(AuditActions.JobSucceeded, "job", "42", origin: AuditOrigin.ForJob("42"));

        var facets = await Host.As<AuditTrail>(Admin).FacetsAsync();

        Assert.Contains("model.created", facets.Actions);
        Assert.Contains(AuditActions.UserCreated, facets.Actions);
        Assert.Contains(AuditActions.JobSucceeded, facets.Actions);
        Assert.Equal(facets.Actions.Order(StringComparer.Ordinal), facets.Actions);
        Assert.Superset(new HashSet<string> { "model", "modelVersion", "dataset", "datasetVersion", "user", "job" }, facets.EntityTypes.ToHashSet());
        Assert.Contains("dana", facets.Actors);
        Assert.Contains("ada", facets.Actors);
        Assert.DoesNotContain(facets.Actors, a => a.StartsWith("job:", StringComparison.Ordinal));
        await Assert.ThrowsAsync<ForbiddenException>(() => Host.As<AuditTrail>(Scientist).FacetsAsync());
    }
}
