using Bunit;
using ControlPlane.Domain.Evaluations;
using ControlPlane.Domain.Registry;
using ControlPlane.TestModels;
using ControlPlane.Web.Components.Pages.Models;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.ML;
using MudBlazor;

namespace ControlPlane.Web.Tests.Components;

/// <summary>The version page's signature in a data scientist's words, and its stage bar asking for a reason and a confirmation.</summary>
public sealed class VersionPageTests : GovernanceComponentContext
{
    [Fact]
    public async Task A_stored_ml_net_signature_shows_text_and_numbers_and_hides_the_pipeline_internals()
    {
        // Featurized the way the trainer does it (TrainingPipeline): working columns named "__…".
        var ml = new MLContext(5);
        var data = ml.Data.LoadFromEnumerable(MlNetModels.ColumnsRows(200, 5));
        var model = ml.Transforms.Concatenate("__Numeric", nameof(MlNetModels.ColumnsRow.Size), nameof(MlNetModels.ColumnsRow.Weight))
            .Append(ml.Transforms.Categorical.OneHotEncoding("__Categorical0", nameof(MlNetModels.ColumnsRow.Color)))
            .Append(ml.Transforms.Concatenate("__Features", "__Numeric", "__Categorical0"))
            .Append(ml.BinaryClassification.Trainers.SdcaLogisticRegression(featureColumnName: "__Features", maximumNumberOfIterations: 10))
            .Fit(data);
        await Registry.CreateModelAsync("columns", null, null);
        var version = await Registry.RegisterVersionAsync("columns", new MemoryStream(MlNetModels.SaveZip(model, data.Schema)), "m.zip", null);
        Assert.Contains(version.Signature.Outputs, s => s.Name == "__Features"); // stored as inspected: the display sets it aside

        var view = Ctx.Render<SignatureColumns>(p => p.Add(x => x.Signature, version.Signature).Add(x => x.Flavor, version.Flavor));

        var inputs = Rows(view, "signature-inputs");
        Assert.Equal(["Size", "Weight", "Color", "Label"], inputs.Keys);
        Assert.Equal(("number", "one value"), inputs["Size"]);
        Assert.Equal(("text", "one value"), inputs["Color"]);
        Assert.Equal(("true/false", "one value"), inputs["Label"]);
        Assert.Equal(["PredictedLabel", "Probability", "Score"], Rows(view, "signature-outputs").Keys.Order());
        Assert.DoesNotContain("ReadOnlyMemory", view.Find("[data-testid=signature-inputs]").TextContent);
        Assert.DoesNotContain("Single", view.Find("[data-testid=signature-outputs]").TextContent);
        Assert.Empty(view.FindAll("[data-testid=signature-internal]"));

        view.Find("#toggle-internal-columns").Click();
        var hidden = Rows(view, "signature-internal");
        Assert.Contains("__Features", hidden.Keys);
        Assert.Contains("Color", hidden.Keys); // the input passed through
        Assert.Equal("3 values", hidden["__Categorical0"].Shape);
    }

    [Fact]
    public async Task An_ml_net_model_exported_to_onnx_shows_its_predictions_not_its_passthrough_outputs()
    {
        await Registry.CreateModelAsync("exported", null, null);
        var version = await Registry.RegisterVersionAsync("exported", new MemoryStream(MlNetModels.TrainBinaryClassifierOnColumns().Onnx), "m.onnx", null);

        var view = Ctx.Render<SignatureColumns>(p => p.Add(x => x.Signature, version.Signature).Add(x => x.Flavor, version.Flavor));

        Assert.Equal(["Color", "Label", "Size", "Weight"], Rows(view, "signature-inputs").Keys.Order());
        Assert.Equal("text", Rows(view, "signature-inputs")["Color"].Kind);
        Assert.All(Rows(view, "signature-outputs").Keys, name => Assert.Contains(name, new[] { "PredictedLabel.output", "Score.output", "Probability.output" }));
        Assert.Contains("Score.output", Rows(view, "signature-outputs").Keys);
        Assert.NotEmpty(view.FindAll("#toggle-internal-columns"));
    }

    [Fact]
    public void An_onnx_signature_keeps_its_names_and_says_list_of_maps_in_words()
    {
        var signature = new ModelSignature([new TensorSpec("float_input", "float", [-1, 3])],
            [new TensorSpec("output_label", "int64", [-1]), new TensorSpec("output_probability", "sequence<map<int64,float>>", [])]);

        var view = Ctx.Render<SignatureColumns>(p => p.Add(x => x.Signature, signature).Add(x => x.Flavor, ModelFlavor.Onnx));

        Assert.Equal(("number", "[?, 3]"), Rows(view, "signature-inputs")["float_input"]);
        var outputs = Rows(view, "signature-outputs");
        Assert.Equal(("whole number", "any number of values"), outputs["output_label"]);
        Assert.Equal("list of {whole number → number}", outputs["output_probability"].Kind);
        Assert.Empty(view.FindAll("#toggle-internal-columns"));
    }

    [Fact]
    public async Task Moving_to_staging_asks_for_a_reason_and_changes_nothing_until_it_is_confirmed()
    {
        await ModelAsync("staged");
        var (page, dialogs) = RenderPage("staged");

        page.WaitForElement("#to-staging").Click();
        dialogs.WaitForElement("#action-submit").Click();
        dialogs.WaitForAssertion(() => Assert.Contains("State the reason", dialogs.Markup));
        Assert.Equal(LifecycleStage.None, (await Registry.GetVersionAsync("staged", 1)).Stage);

        dialogs.Find("#action-reason").Change("ready for the quarterly review");
        dialogs.Find("#action-submit").Click();

        page.WaitForAssertion(() => Assert.Contains("None → Staging", page.Markup), TimeSpan.FromSeconds(5));
        Assert.Contains("ready for the quarterly review", page.Markup);
        Assert.Equal(LifecycleStage.Staging, (await Registry.GetVersionAsync("staged", 1)).Stage);
    }

    [Fact]
    public async Task Pointing_an_alias_is_confirmed_with_a_reason_and_a_cancelled_dialog_points_nothing()
    {
        await ModelAsync("aliased");
        var (page, dialogs) = RenderPage("aliased");
        page.WaitForElement("#alias-name").Change("challenger");

        page.Find("#set-alias").Click();
        dialogs.WaitForElement("#action-reason");
        dialogs.FindAll("button").Single(b => b.TextContent.Trim() == "Cancel").Click();
        dialogs.WaitForAssertion(() => Assert.Empty(dialogs.FindAll("#action-reason")));
        Assert.Empty((await Registry.GetVersionAsync("aliased", 1)).Aliases);

        page.Find("#set-alias").Click();
        dialogs.WaitForElement("#action-reason").Change("compare against the champion");
        dialogs.Find("#action-submit").Click();

        page.WaitForAssertion(() => Assert.Equal(["challenger"], Registry.GetVersionAsync("aliased", 1).GetAwaiter().GetResult().Aliases), TimeSpan.FromSeconds(5));
    }

    private (IRenderedComponent<VersionPage> Page, IRenderedComponent<MudDialogProvider> Dialogs) RenderPage(string model)
    {
        Ctx.Services.AddSingleton(Host.As<ModelAliases>(Scientist));
        Ctx.Services.AddSingleton(Host.As<EvaluationService>(Scientist));
        SignInAs(Scientist);
        var dialogs = Ctx.Render<MudDialogProvider>();
        return (Ctx.Render<VersionPage>(p => p.Add(x => x.Name, model).Add(x => x.Number, 1)), dialogs);
    }

    private static Dictionary<string, (string Kind, string Shape)> Rows(IRenderedComponent<SignatureColumns> view, string table) =>
        view.FindAll($"[data-testid={table}] [data-testid=signature-column]")
            .Select(r => r.QuerySelectorAll("td").Select(td => td.TextContent.Trim()).ToList())
            .ToDictionary(c => c[0], c => (c[1], c[2]));
}
