using System.Net;
using System.Net.Http.Json;
using ControlPlane.Domain.Identity;
using ControlPlane.Domain.Search;
using ControlPlane.Web.Tests.Datasets;
using ControlPlane.Web.Tests.Registry;

namespace ControlPlane.Web.Tests.Search;

[Collection(WebCollection.Name)]
public sealed class SearchApiTests(ControlPlaneWebFactory app)
{
    [Fact]
    public async Task One_query_finds_models_and_datasets_by_any_part_of_the_name_ignoring_case_grouped_by_kind()
    {
        using var scientist = app.ClientWithToken(app.RoleTokens[ControlPlaneRoles.DataScientist]);
        var marker = Guid.NewGuid().ToString("N")[..10];
        var model = await scientist.CreateModelAsync($"churn{marker}");
        var dataset = await scientist.CreateDatasetAsync($"churn{marker}");
        await scientist.CreateModelAsync("unrelated");

        using var reviewer = app.ClientWithToken(app.RoleTokens[ControlPlaneRoles.ComplianceReviewer]);
        var results = await reviewer.GetFromJsonAsync<SearchResults>($"/api/v1/search?q={marker.ToUpperInvariant()}", RegistryClient.Json);

        Assert.Equal([model], results!.Models.Select(h => h.Name));
        Assert.Equal([dataset], results.Datasets.Select(h => h.Name));
        Assert.Empty(results.Monitors);
        Assert.Equal($"/models/{model}", results.Models[0].Link);
    }

    [Theory]
    [InlineData("")]
    [InlineData("%20%20")]
    public async Task An_empty_query_finds_nothing(string q)
    {
        using var client = app.ClientWithToken(app.RoleTokens[ControlPlaneRoles.DataScientist]);

        var results = await client.GetFromJsonAsync<SearchResults>($"/api/v1/search?q={q}", RegistryClient.Json);

        Assert.True(results!.IsEmpty);
    }

    [Fact]
    public async Task Bad_input_is_a_400_not_a_500()
    {
        using var client = app.ClientWithToken(app.RoleTokens[ControlPlaneRoles.DataScientist]);

        var tooLong = await client.GetAsync($"/api/v1/search?q={new string('x', GlobalSearch.MaxQueryLength + 1)}");
        var notANumber = await client.GetAsync("/api/v1/search?q=a&limit=lots");

        Assert.Equal(HttpStatusCode.BadRequest, tooLong.StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, notANumber.StatusCode);
    }
}
