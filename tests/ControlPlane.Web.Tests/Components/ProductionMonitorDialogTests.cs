using System.Text;
using Bunit;
using ControlPlane.Domain.Production;
using ControlPlane.Domain.Registry;
using ControlPlane.Domain.Training;
using ControlPlane.TestModels;
using ControlPlane.Web.Components.Pages.Production;
using Microsoft.AspNetCore.Components;
using Microsoft.Extensions.DependencyInjection;
using MudBlazor;
using MudBlazor.Extensions;

namespace ControlPlane.Web.Tests.Components;

/// <summary>
/// The production monitor dialog over the real service edits every setting the API takes: each group is shown as
/// stored, changed and saved; an invalid value gets the service's message at its field and saves nothing.
/// </summary>
public sealed class ProductionMonitorDialogTests : RegistryComponentContext
{
    private ProductionMonitors _monitors = null!;
    private ProductionMonitorView _monitor = null!;

    protected override async Task SeedAsync()
    {
        await Registry.CreateModelAsync("scorer", null, null);
        await using (var onnx = new MemoryStream(HandBuiltOnnx.Identity()))
            await Registry.RegisterVersionAsync("scorer", onnx, "m.onnx", null);
        _monitors = Host.As<ProductionMonitors>(Scientist);
        _monitor = await _monitors.CreateAsync("scorer", new ProductionMonitorRequest("live", ProductionTarget.Versions, "1",
            Settings: new ProductionMonitorSettings { Features = ["income"], MaxMissingRate = 0.2, ScoreThreshold = 0.4, MinLabelled = 50, LatencyP95Ms = 80 }));
        Ctx.Services.AddSingleton(_monitors);
        Ctx.Services.AddSingleton(Host.As<TrainingService>(Scientist));
        Ctx.Renderer.SetRendererInfo(new RendererInfo("Server", isInteractive: true));
    }

    private async Task<(IRenderedComponent<MudDialogProvider> Dialog, IDialogReference Reference)> OpenAsync()
    {
        var provider = Ctx.Render<MudDialogProvider>();
        var dialogs = Ctx.Services.GetRequiredService<IDialogService>();
        IDialogReference? reference = null;
        var existing = await _monitors.GetAsync("scorer", "live");
        await provider.InvokeAsync(async () => reference = await dialogs.ShowAsync<ProductionMonitorDialog>("Edit",
            new DialogParameters<ProductionMonitorDialog> { { d => d.Model, "scorer" }, { d => d.Existing, existing } }));
        provider.WaitForElement("#save-production-monitor");
        return (provider, reference!);
    }

    private static string? Value(IRenderedComponent<MudDialogProvider> dialog, string id) => dialog.Find(id).GetAttribute("value");

    [Fact]
    public async Task The_watched_features_and_the_missing_rate_are_shown_and_saved()
    {
        var (dialog, reference) = await OpenAsync();
        Assert.Equal("income", Value(dialog, "#pm-features"));
        Assert.Equal("0.2", Value(dialog, "#pm-missing-rate"));

        dialog.Find("#pm-features").Change("income, zone ,age");
        dialog.Find("#pm-missing-rate").Change("0.05");
        dialog.Find("#save-production-monitor").Click();

        Assert.False((await reference.Result)!.Canceled);
        var saved = (await _monitors.GetAsync("scorer", "live")).Settings;
        Assert.Equal(["income", "zone", "age"], saved.Features);
        Assert.Equal(0.05, saved.MaxMissingRate);
        Assert.Equal((0.4, 50L, 80.0), (saved.ScoreThreshold, saved.MinLabelled, saved.LatencyP95Ms!.Value)); // untouched fields kept
    }

    [Fact]
    public async Task The_score_threshold_and_the_labels_needed_to_judge_performance_are_shown_and_saved()
    {
        var (dialog, reference) = await OpenAsync();
        Assert.Equal("0.4", Value(dialog, "#pm-score-threshold"));
        Assert.Equal("50", Value(dialog, "#pm-min-labelled"));

        dialog.Find("#pm-score-threshold").Change("0.65");
        dialog.Find("#pm-min-labelled").Change("200");
        dialog.Find("#save-production-monitor").Click();

        Assert.False((await reference.Result)!.Canceled);
        var saved = (await _monitors.GetAsync("scorer", "live")).Settings;
        Assert.Equal((0.65, 200L), (saved.ScoreThreshold, saved.MinLabelled));
        Assert.Equal(["income"], saved.Features);
    }

    [Fact]
    public async Task A_training_spec_of_the_model_is_chosen_for_retraining_and_cleared_again()
    {
        await Datasets.CreateAsync("customers", null, null);
        await using (var csv = new MemoryStream(Encoding.UTF8.GetBytes("tenure,churned\n1,0\n2,1\n3,0\n4,1\n")))
            await Datasets.AddVersionAsync("customers", csv, "c.csv", null, null);
        var spec = await Host.As<TrainingService>(Scientist).CreateSpecAsync(new TrainingSpecRequest("scorer", "nightly", TrainingTask.Binary, "churned",
            [new("tenure", FeatureTreatment.Numerical)], TrainerCatalog.FastTree, new DatasetSelection("customers")));

        var (dialog, reference) = await OpenAsync();
        // Choose the spec as the select reports a choice (its popover needs a browser).
        var select = dialog.FindComponents<MudSelect<Guid?>>().Single();
        await dialog.InvokeAsync(() => select.Instance.ValueChanged.InvokeAsync(spec.Id));
        dialog.Find("#save-production-monitor").Click();
        Assert.False((await reference.Result)!.Canceled);
        var linked = await _monitors.GetAsync("scorer", "live");
        Assert.Equal((spec.Id, "nightly"), (linked.RetrainSpecId, linked.RetrainSpec));

        (dialog, reference) = await OpenAsync();
        select = dialog.FindComponents<MudSelect<Guid?>>().Single();
        Assert.Equal(spec.Id, select.Instance.GetState(x => x.Value));
        await dialog.InvokeAsync(() => select.Instance.ValueChanged.InvokeAsync(null));
        dialog.Find("#save-production-monitor").Click();
        Assert.False((await reference.Result)!.Canceled);
        Assert.Null((await _monitors.GetAsync("scorer", "live")).RetrainSpecId);
    }

    [Theory]
    [InlineData("#pm-alpha", "1.5", "The drift alpha is a probability between 0 and 1")]
    [InlineData("#pm-missing-rate", "0", "The highest missing rate is above 0 and at most 1")]
    [InlineData("#pm-score-threshold", "1", "The score threshold is between 0 and 1")]
    [InlineData("#pm-min-labelled", "0", "The fewest labelled predictions that judge performance is at least 1")]
    [InlineData("#pm-features", "income,,  ,", null)] // empty entries are dropped, not refused
    [InlineData("#pm-cooldown", "-5", "The alert cool-down is between 0 minutes and 30 days")]
    public async Task An_invalid_value_is_shown_at_its_field_and_nothing_is_saved(string field, string value, string? message)
    {
        var before = await _monitors.GetAsync("scorer", "live");
        var (dialog, reference) = await OpenAsync();

        dialog.Find(field).Change(value);
        dialog.Find("#save-production-monitor").Click();

        if (message is null)
        {
            Assert.False((await reference.Result)!.Canceled);
            Assert.Equal(["income"], (await _monitors.GetAsync("scorer", "live")).Settings.Features);
            return;
        }
        dialog.WaitForAssertion(() => Assert.Contains(message, dialog.Find("[data-testid=production-monitor-error]").TextContent));
        // The message also stands under the field itself, and the number typed is not clamped into range.
        Assert.Contains(message, dialog.Find(field).Closest(".mud-input-control")!.TextContent);
        Assert.Equal(value, Value(dialog, field));
        var after = await _monitors.GetAsync("scorer", "live");
        Assert.Equal((before.ConcurrencyStamp, before.Settings.ToJson()), (after.ConcurrencyStamp, after.Settings.ToJson()));
    }
}
