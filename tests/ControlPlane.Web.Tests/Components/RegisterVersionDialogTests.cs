using Bunit;
using ControlPlane.Domain.Common;
using ControlPlane.Domain.Registry;
using ControlPlane.TestModels;
using ControlPlane.Web.Components.Pages.Models;
using Microsoft.AspNetCore.Components;
using Microsoft.AspNetCore.Components.Forms;
using Microsoft.Extensions.DependencyInjection;
using MudBlazor;

namespace ControlPlane.Web.Tests.Components;

/// <summary>The register-version dialog driven by bUnit: real file bytes, real inspection, real registry on SQLite.</summary>
public sealed class RegisterVersionDialogTests : RegistryComponentContext
{
    protected override async Task SeedAsync()
    {
        await Registry.CreateModelAsync("dialog-model", null, null);
        Ctx.Renderer.SetRendererInfo(new RendererInfo("Server", isInteractive: true));
    }

    [Fact]
    public async Task A_chosen_file_with_metrics_registers_a_version_and_closes_the_dialog()
    {
        var (provider, result) = await OpenAsync();

        provider.FindComponent<InputFile>().UploadFiles(InputFileContent.CreateFromBinary(HandBuiltOnnx.Identity(), "identity.onnx"));
        provider.Find("#version-metrics").Change("auc=0.93\nf1=0.8");
        provider.Find("#upload-version").Click();

        var closed = await result;
        var version = Assert.IsType<ModelVersionView>(closed!.Data);
        Assert.Equal((1, 0.93, "identity.onnx"), (version.Version, version.Metrics["auc"], version.FileName));
        Assert.Equal(1, (await Registry.ListVersionsAsync("dialog-model", new PageRequest())).TotalCount);
    }

    [Fact]
    public async Task A_rejected_file_keeps_the_dialog_open_with_the_reason_and_stores_nothing()
    {
        var (provider, _) = await OpenAsync();

        provider.FindComponent<InputFile>().UploadFiles(InputFileContent.CreateFromText("id,label\n1,0\n", "data.csv"));
        provider.Find("#upload-version").Click();

        provider.WaitForAssertion(() => Assert.Contains("neither an ML.NET zip nor", provider.Find("[data-testid=upload-error]").TextContent));
        Assert.Equal(0, (await Registry.ListVersionsAsync("dialog-model", new PageRequest())).TotalCount);
    }

    [Fact]
    public async Task A_cleared_choice_is_no_file_rather_than_an_error_and_nothing_is_sent()
    {
        var (provider, _) = await OpenAsync();
        var input = provider.FindComponent<InputFile>();

        input.UploadFiles(InputFileContent.CreateFromBinary(HandBuiltOnnx.Identity(), "identity.onnx"));
        // The picker opened again and cancelled: the browser reports a change with no file (bUnit's UploadFiles needs one).
        await provider.InvokeAsync(() => input.Instance.OnChange.InvokeAsync(new InputFileChangeEventArgs([])));
        provider.Find("#upload-version").Click();

        Assert.Empty(provider.FindAll("[data-testid=upload-error]"));
        Assert.Equal(0, (await Registry.ListVersionsAsync("dialog-model", new PageRequest())).TotalCount);
    }

    [Fact]
    public async Task Metrics_that_are_not_numbers_are_explained()
    {
        var (provider, _) = await OpenAsync();

        provider.FindComponent<InputFile>().UploadFiles(InputFileContent.CreateFromBinary(HandBuiltOnnx.Identity(), "identity.onnx"));
        provider.Find("#version-metrics").Change("auc=high");
        provider.Find("#upload-version").Click();

        provider.WaitForAssertion(() => Assert.Contains("'high' is not a number", provider.Find("[data-testid=upload-error]").TextContent));
    }

    private async Task<(IRenderedComponent<MudDialogProvider> Provider, Task<DialogResult?> Result)> OpenAsync()
    {
        var provider = Ctx.Render<MudDialogProvider>();
        var dialogs = Ctx.Services.GetRequiredService<IDialogService>();
        IDialogReference? reference = null;
        await provider.InvokeAsync(async () => reference = await dialogs.ShowAsync<RegisterVersionDialog>("Register",
            new DialogParameters<RegisterVersionDialog> { { d => d.ModelName, "dialog-model" } }));
        provider.WaitForElement("#upload-version");
        return (provider, reference!.Result);
    }
}
