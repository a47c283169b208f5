using System.Text;
using ControlPlane.Domain.Common;
using ControlPlane.Domain.Datasets;
using ControlPlane.Domain.Drift;
using ControlPlane.TestModels;
using ControlPlane.Domain.Identity;
using ControlPlane.Domain.Registry;
using ControlPlane.TestSupport;
using ControlPlane.Workers.Inspection;
using Microsoft.Extensions.DependencyInjection;

namespace ControlPlane.Web.Tests.Security;

/// <summary>
/// A token's limits hold in the services themselves, whatever called them (no endpoint filter here): saves need the
/// write scope, every model lookup checks the model list, role checks need the read scope.
/// </summary>
public sealed class TokenScopeGuardTests : IAsyncLifetime
{
    private static readonly Actor Scientist = new("ds", "dana", new HashSet<string> { ControlPlaneRoles.DataScientist }, true);
    private DomainHost _host = null!;

    public async Task InitializeAsync()
    {
        _host = await DomainHost.StartAsync(services: s => s.AddSingleton<IArtifactInspector, ArtifactInspector>());
        await _host.As<ModelRegistry>(Scientist).CreateModelAsync("fraud", null, null);
        await _host.As<ModelRegistry>(Scientist).CreateModelAsync("churn", null, null);
    }

    public async Task DisposeAsync() => await _host.DisposeAsync();

    [Fact]
    public async Task Without_the_write_scope_no_service_saves_and_nothing_is_half_written()
    {
        var reader = Scientist with { Scopes = TokenScopes.Read };
        using (TokenScopeGuard.Use(reader))
        {
            var refused = await Assert.ThrowsAsync<ForbiddenException>(() => _host.As<ModelRegistry>(reader).CreateModelAsync("new-one", null, null));
            Assert.Equal("This token may not change anything: it lacks the write scope (it has read).", refused.Message);
            await Assert.ThrowsAsync<ForbiddenException>(() => _host.As<ModelRegistry>(reader).UpdateModelAsync("fraud", "changed", null));
            Assert.Equal("fraud", (await _host.As<ModelRegistry>(reader).GetModelAsync("fraud")).Name); // reading is fine
        }
        Assert.Null((await _host.As<ModelRegistry>(Scientist).GetModelAsync("fraud")).Description);
        await Assert.ThrowsAsync<NotFoundException>(() => _host.As<ModelRegistry>(Scientist).GetModelAsync("new-one"));
    }

    [Fact]
    public async Task A_token_limited_to_a_model_is_stopped_at_the_lookup_of_any_other()
    {
        var limited = Scientist with { Scopes = TokenScopes.Read | TokenScopes.Write, Models = new HashSet<string>(["fraud"], StringComparer.OrdinalIgnoreCase) };
        using (TokenScopeGuard.Use(limited))
        {
            await _host.As<ModelRegistry>(limited).UpdateModelAsync("FRAUD", "ok", null);
            var refused = await Assert.ThrowsAsync<ForbiddenException>(() => _host.As<ModelRegistry>(limited).UpdateModelAsync("churn", "no", null));
            Assert.Equal("This token is limited to the models fraud.", refused.Message);
            await Assert.ThrowsAsync<ForbiddenException>(() => _host.As<ModelAliases>(limited).SetAsync("churn", "challenger", 1, "try"));
            Assert.Equal(["fraud"], (await _host.As<ModelRegistry>(limited).ListModelsAsync(new PageRequest())).Items.Select(m => m.Name));
        }
        Assert.Null((await _host.As<ModelRegistry>(Scientist).GetModelAsync("churn")).Description);
    }

    [Fact]
    public async Task A_token_limited_to_a_model_changes_nothing_of_another_reached_by_id_nor_anything_of_no_model()
    {
        await using (var onnx = new MemoryStream(HandBuiltOnnx.Identity()))
            await _host.As<ModelRegistry>(Scientist).RegisterVersionAsync("churn", onnx, "m.onnx", null);
        var datasets = _host.As<DatasetCatalog>(Scientist);
        await datasets.CreateAsync("loans", null, null);
        await using (var csv = new MemoryStream(Encoding.UTF8.GetBytes("x,y\n1,2\n")))
            await datasets.AddVersionAsync("loans", csv, "d.csv", null, null);
        var monitor = await _host.As<DriftMonitors>(Scientist).CreateAsync(new DriftMonitorRequest("churn-watch", new DatasetRef("loans", 1), CurrentDataset: "loans", Model: "churn", ModelVersion: 1));
        var limited = Scientist with { Scopes = TokenScopes.Read | TokenScopes.Write, Models = new HashSet<string>(["fraud"], StringComparer.OrdinalIgnoreCase) };

        using (TokenScopeGuard.Use(limited))
        {
            // By id, no model name is looked up: the save is where it stops.
            var run = await Assert.ThrowsAsync<ForbiddenException>(() => _host.As<DriftMonitors>(limited).RunNowAsync(monitor.Id));
            Assert.Equal("This token is limited to the models fraud; this would change the model churn.", run.Message);
            await using var csv = new MemoryStream(Encoding.UTF8.GetBytes("x,y\n3,4\n"));
            var upload = await Assert.ThrowsAsync<ForbiddenException>(() => _host.As<DatasetCatalog>(limited).AddVersionAsync("loans", csv, "d.csv", null, null));
            Assert.EndsWith("this would change something that belongs to no model.", upload.Message);
            // Its own model, with the rows that follow a change (audit, notifications): fine.
            await _host.As<ModelRegistry>(limited).UpdateModelAsync("fraud", "scored nightly", null);
        }
        Assert.Empty((await _host.As<DriftMonitors>(Scientist).ListRunsAsync(monitor.Id, new PageRequest())).Items);
        Assert.Equal(1, (await datasets.GetAsync("loans")).LatestVersion);
    }

    [Fact]
    public async Task Without_the_read_scope_no_role_check_passes()
    {
        var ingest = Scientist with { Scopes = TokenScopes.Ingest };
        var refused = await Assert.ThrowsAsync<ForbiddenException>(() => _host.As<ModelRegistry>(ingest).GetModelAsync("fraud"));
        Assert.Equal("This token lacks the read scope (it has ingest).", refused.Message);
    }
}
