using Bunit;
using ControlPlane.Web.Components.Pages.Schedules;
using MudBlazor.Services;

namespace ControlPlane.Web.Tests.Components;

/// <summary>The live description under every cron field: what it means, or why it does not parse.</summary>
public sealed class CronDescriptionTests : IDisposable
{
    private readonly BunitContext _ctx = new();

    public CronDescriptionTests() => _ctx.Services.AddMudServices();

    [Theory]
    [InlineData("0 3 * * 1", "Runs at 03:00 on Monday.")]
    [InlineData("*/15 * * * *", "Runs every 15 minutes.")]
    [InlineData("0 9-17 * * *", "Runs 0 9-17 * * *.")]
    public void Describes_a_valid_expression(string cron, string expected) =>
        Assert.Equal(expected, _ctx.Render<CronDescription>(p => p.Add(x => x.Cron, cron)).Find("[data-testid=cron-description]").TextContent.Trim());

    [Fact]
    public void Says_why_an_expression_does_not_parse_and_follows_edits()
    {
        var description = _ctx.Render<CronDescription>(p => p.Add(x => x.Cron, "0 25 * * *"));
        Assert.Contains("is not a valid cron expression", description.Markup);
        Assert.Contains("mud-error-text", description.Markup);

        description.Render(p => p.Add(x => x.Cron, "0 2 * * *"));
        Assert.Equal("Runs at 02:00 every day.", description.Find("[data-testid=cron-description]").TextContent.Trim());
    }

    public void Dispose() => _ctx.Dispose();
}
