using Bunit;
using ControlPlane.Domain.Costs;
using ControlPlane.Web.Components.Pages.Models;
using Microsoft.AspNetCore.Components;
using Microsoft.Extensions.DependencyInjection;

namespace ControlPlane.Web.Tests.Components;

/// <summary>The model's budget on its Permissions tab, over the real budget service.</summary>
public sealed class ModelBudgetPanelTests : RegistryComponentContext
{
    protected override Task SeedAsync()
    {
        Ctx.Services.AddSingleton(Host.As<CostBudgets>(Scientist));
        Ctx.Renderer.SetRendererInfo(new RendererInfo("Server", isInteractive: true));
        return Task.CompletedTask;
    }

    [Fact]
    public async Task The_owner_sets_a_budget_and_an_out_of_range_one_stays_typed_and_saves_nothing()
    {
        await Registry.CreateModelAsync("fraud", null, null); // the scientist creates it: its owner
        var panel = Ctx.Render<ModelBudgetPanel>(p => p.Add(x => x.Model, "fraud"));
        panel.WaitForAssertion(() => Assert.Contains("no budget set", panel.Find("[data-testid=budget-status]").TextContent));

        panel.Find("#budget-amount").Change("-5");
        panel.Find("#save-budget").Click();
        panel.WaitForAssertion(() => Assert.Contains("monthlyAmount must be a number", panel.Markup));
        Assert.Null((await Host.As<CostBudgets>(Scientist).GetAsync("fraud")).MonthlyAmount);

        panel.Find("#budget-amount").Change("50");
        panel.Find("#save-budget").Click();
        panel.WaitForAssertion(() => Assert.Contains("of 50.00", panel.Find("[data-testid=budget-status]").TextContent));
        Assert.Equal(50.0, (await Host.As<CostBudgets>(Scientist).GetAsync("fraud")).MonthlyAmount);
    }
}
