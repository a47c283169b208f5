using ControlPlane.Domain.Audit;
using ControlPlane.Domain.Common;
using ControlPlane.Domain.Datasets;
using ControlPlane.Domain.Drift;
using ControlPlane.Domain.Governance;
using ControlPlane.Domain.Identity;
using ControlPlane.Domain.Persistence;
using ControlPlane.Domain.Registry;
using ControlPlane.Domain.Registry.Permissions;
using ControlPlane.Domain.Training;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace ControlPlane.Web.Tests.Registry;

/// <summary>The paths beside the matrix: other ways to move an alias or register a version, and changes between two steps.</summary>
public sealed class ModelPermissionWayAroundTests(ModelPermissionsHost fixture) : IClassFixture<ModelPermissionsHost>
{
    private Actor Ada => fixture.People["ada"];
    private Actor Olga => fixture.People["olga"];
    private Actor Dave => fixture.People["dave"];
    private Actor Lisa => fixture.People["lisa"];

    private async Task<string> ModelOfOlgaAsync()
    {
        var name = $"m-{Guid.NewGuid():N}"[..14];
        await fixture.Host.As<ModelRegistry>(Olga).CreateModelAsync(name, null, null);
        await fixture.RegisterAsync(Olga, name);
        return name;
    }

    [Fact]
    public async Task A_promotion_request_to_an_unprotected_alias_is_an_alias_move_and_is_refused_when_moves_are_restricted()
    {
        var model = await ModelOfOlgaAsync();
        await fixture.Host.As<ModelPermissions>(Olga).SetAsync(model, new ModelPermissionsRequest(["olga"], MoveAliases: new ActionRule(ModelRestriction.OwnersOnly, [])));

        var refused = await Assert.ThrowsAsync<ForbiddenException>(() => fixture.Host.As<Promotions>(Dave)
            .RequestAsync(new PromotionRequestInput(model, 1, new PromotionTarget(Alias: "shadow"), "around the alias rule")));
        Assert.Contains("moving aliases is restricted to its owners", refused.Message);
        // The protected alias is the promotion's own business: requesting it stays open to any requester.
        await fixture.Host.As<Promotions>(Dave).RequestAsync(new PromotionRequestInput(model, 1, new PromotionTarget(Alias: "champion"), "governed path"));
    }

    [Fact]
    public async Task A_training_run_registers_no_version_for_someone_the_model_does_not_allow()
    {
        var model = await ModelOfOlgaAsync();
        var spec = await fixture.Host.As<TrainingService>(Dave).CreateSpecAsync(new TrainingSpecRequest(model, "weekly", TrainingTask.Binary, "label",
            [new("income", FeatureTreatment.Numerical)], TrainerCatalog.FastTree, new DatasetSelection("applications")));
        await fixture.Host.As<ModelPermissions>(Olga).SetAsync(model, new ModelPermissionsRequest(["olga"], RegisterVersions: new ActionRule(ModelRestriction.OwnersOnly, [])));

        // Refused when asked for...
        await Assert.ThrowsAsync<ForbiddenException>(() => fixture.Host.As<TrainingService>(Dave).StartRunAsync(spec.Id));
        // ...and where the run's job registers, acting with every role under dave's name (TrainingRunActors).
        var job = Actor.System("dave") with { UserId = Dave.UserId };
        await Assert.ThrowsAsync<ForbiddenException>(() => fixture.Host.As<ModelRegistry>(job).RegisterVersionAsync(model, new MemoryStream(ControlPlane.TestModels.HandBuiltOnnx.Identity()), "m.onnx", null));
        // A job under an admin's or an owner's name registers.
        await fixture.Host.As<ModelRegistry>(Actor.System("ada") with { UserId = Ada.UserId }).RegisterVersionAsync(model, new MemoryStream(ControlPlane.TestModels.HandBuiltOnnx.Identity()), "m.onnx", null);
        await fixture.Host.As<ModelRegistry>(Actor.System("olga") with { UserId = Olga.UserId }).RegisterVersionAsync(model, new MemoryStream(ControlPlane.TestModels.HandBuiltOnnx.Identity()), "m.onnx", null);
        Assert.Equal(3, (await fixture.Host.As<ModelRegistry>(Ada).GetModelAsync(model)).LatestVersion);
    }

    [Fact]
    public async Task Proposing_a_schedule_for_a_spec_is_editing_it_and_is_refused_once_specs_are_restricted()
    {
        var model = await ModelOfOlgaAsync();
        var spec = await fixture.Host.As<TrainingService>(Dave).CreateSpecAsync(new TrainingSpecRequest(model, "nightly", TrainingTask.Binary, "label",
            [new("income", FeatureTreatment.Numerical)], TrainerCatalog.FastTree, new DatasetSelection("applications")));
        await fixture.Host.As<ModelPermissions>(Olga).SetAsync(model, new ModelPermissionsRequest(["olga"], EditSpecs: new ActionRule(ModelRestriction.OwnersOnly, [])));
        var input = new Domain.Schedules.ScheduleProposalInput(Domain.Schedules.ScheduleId.ForSpec(spec.Id).ToString(), "0 5 * * *", "UTC", "around the spec rule");

        var refused = await Assert.ThrowsAsync<ForbiddenException>(() => fixture.Host.As<Domain.Schedules.ScheduleProposals>(Dave).ProposeAsync(input));
        Assert.Contains("editing training specs is restricted to its owners", refused.Message);
        Assert.Null((await fixture.Host.As<TrainingService>(Dave).GetSpecAsync(spec.Id)).Schedule);
        await fixture.Host.As<Domain.Schedules.ScheduleProposals>(Olga).ProposeAsync(input); // the model's owner may
    }

    [Fact]
    public async Task A_monitor_made_before_the_restriction_cannot_be_changed_by_its_owner_afterwards_nor_moved_off_the_model()
    {
        var model = await ModelOfOlgaAsync();
        var request = new DriftMonitorRequest($"w-{Guid.NewGuid():N}"[..12], new DatasetRef("applications", 1), CurrentDataset: "applications", Model: model, ModelVersion: 1);
        var monitor = await fixture.Host.As<DriftMonitors>(Dave).CreateAsync(request);
        await fixture.Host.As<ModelPermissions>(Olga).SetAsync(model, new ModelPermissionsRequest(["olga"], EditMonitors: new ActionRule(ModelRestriction.OwnersOnly, [])));

        await Assert.ThrowsAsync<ForbiddenException>(() => fixture.Host.As<DriftMonitors>(Dave).UpdateAsync(monitor.Id, request with { Description = "changed" }));
        await Assert.ThrowsAsync<ForbiddenException>(() => fixture.Host.As<DriftMonitors>(Dave).UpdateAsync(monitor.Id, request with { Model = "open" }));
        Assert.Null((await fixture.Host.As<DriftMonitors>(Dave).GetAsync(monitor.Id)).Description);
    }

    [Fact]
    public async Task A_change_of_permissions_made_after_someone_loaded_them_is_a_conflict_not_an_overwrite()
    {
        var model = await ModelOfOlgaAsync();
        var loaded = await fixture.Host.As<ModelPermissions>(Olga).GetAsync(model);
        Assert.False(loaded.Stored);
        Assert.Equal(["olga"], loaded.Owners); // the creator, before anything was saved
        var first = await fixture.Host.As<ModelPermissions>(Olga).SetAsync(model, new ModelPermissionsRequest(["olga", "lisa"]));

        await Assert.ThrowsAsync<ConflictException>(() => fixture.Host.As<ModelPermissions>(Ada)
            .SetAsync(model, new ModelPermissionsRequest(["ada"], ConcurrencyStamp: Guid.NewGuid())));
        await Assert.ThrowsAsync<ConflictException>(() => fixture.Host.As<ModelPermissions>(Lisa)
            .SetAsync(model, new ModelPermissionsRequest(["lisa"], ConcurrencyStamp: Guid.Empty)));
        var now = await fixture.Host.As<ModelPermissions>(Lisa).GetAsync(model);
        Assert.Equal(["olga", "lisa"], now.Owners);
        Assert.Equal(first.ConcurrencyStamp, now.ConcurrencyStamp);
        // Lisa, an owner now, manages with the current stamp.
        await fixture.Host.As<ModelPermissions>(Lisa).SetAsync(model, new ModelPermissionsRequest(["lisa"], ConcurrencyStamp: now.ConcurrencyStamp));
        await Assert.ThrowsAsync<ForbiddenException>(() => fixture.Host.As<ModelPermissions>(Olga).SetAsync(model, new ModelPermissionsRequest(["olga"])));
    }

    [Fact]
    public async Task A_listed_data_scientist_still_adds_no_production_monitor_since_that_was_for_owners_already()
    {
        var model = await ModelOfOlgaAsync();
        await fixture.Host.As<ModelAliases>(Olga).SetAsync(model, "current", 1, "live");
        await fixture.Host.As<ModelPermissions>(Olga).SetAsync(model, new ModelPermissionsRequest(["olga"], EditMonitors: new ActionRule(ModelRestriction.OwnersAndListed, ["lisa"])));
        var request = new Domain.Production.ProductionMonitorRequest("live", Domain.Production.ProductionTarget.Alias, "Current", Domain.Production.ProductionWindowSize.Hour,
            new DatasetRef("applications", 1), new Domain.Production.ProductionMonitorSettings { LatencyP95Ms = 50, PerformanceMetric = "rocAuc", PerformanceThreshold = 0.7 });
        var refused = await Assert.ThrowsAsync<ForbiddenException>(() => fixture.Host.As<Domain.Production.ProductionMonitors>(Lisa).CreateAsync(model, request));
        Assert.Contains("only its owners or an admin add production monitors", refused.Message);
        await fixture.Host.As<ModelPermissions>(Olga).SetAsync(model, new ModelPermissionsRequest(["olga", "lisa"], EditMonitors: new ActionRule(ModelRestriction.OwnersOnly, [])));
        await fixture.Host.As<Domain.Production.ProductionMonitors>(Lisa).CreateAsync(model, request); // an added owner may
    }

    [Fact]
    public async Task An_added_owner_speaks_for_the_model_from_production_and_another_scientist_does_not()
    {
        var model = await ModelOfOlgaAsync();
        await fixture.Host.As<ModelPermissions>(Olga).SetAsync(model, new ModelPermissionsRequest(["olga", "lisa"]));
        var report = new Domain.Production.LoadFailureReport("current", "out of memory", "pod-1");

        foreach (var (sender, allowed) in new[] { (Lisa, true), (Dave, false) })
        {
            var ingest = sender with { Scopes = TokenScopes.Ingest, Models = new HashSet<string>([model], StringComparer.OrdinalIgnoreCase) };
            using (TokenScopeGuard.Use(ingest))
            {
                var refusal = await Record.ExceptionAsync(() => fixture.Host.As<Domain.Production.LoadFailureReports>(ingest).ReportAsync(model, 1, report));
                if (allowed)
                    Assert.Null(refusal);
                else
                    Assert.Contains("only its owners or an admin send its telemetry", Assert.IsType<ForbiddenException>(refusal).Message);
            }
        }
    }

    [Fact]
    public async Task Each_change_is_one_audit_event_with_the_before_and_after()
    {
        var model = await ModelOfOlgaAsync();
        var first = await fixture.Host.As<ModelPermissions>(Olga).SetAsync(model, new ModelPermissionsRequest(["olga"], RegisterVersions: new ActionRule(ModelRestriction.OwnersAndListed, ["lisa", "LISA"])));
        Assert.Equal(["lisa"], first.RegisterVersions.Users);
        await fixture.Host.As<ModelPermissions>(Ada).SetAsync(model, new ModelPermissionsRequest(["olga", "dave"], EditSpecs: new ActionRule(ModelRestriction.OwnersOnly, [])));

        await using var db = await fixture.Host.Services.GetRequiredService<IDbContextFactory<ControlPlaneDbContext>>().CreateDbContextAsync();
        var modelId = (await db.Models.SingleAsync(m => m.Name == model)).Id.ToString();
        var events = await db.AuditEvents.Where(e => e.Action == "modelPermissions.changed" && e.EntityId == modelId).OrderBy(e => e.Sequence).ToListAsync();
        Assert.Equal(2, events.Count);
        Assert.Equal($"{model}: owners [olga]; nothing restricted → owners [olga]; RegisterVersions=owners+[lisa]", events[0].Reason);
        Assert.Equal($"{model}: owners [olga]; RegisterVersions=owners+[lisa] → owners [olga, dave]; EditSpecs=owners", events[1].Reason);
        Assert.Equal(["olga", "ada"], events.Select(e => e.ActorName));
        Assert.True((await fixture.Host.VerifyAuditAsync()).Intact);
    }

    [Theory]
    [InlineData("owners", "nobody-here")]
    [InlineData("owners", "")]
    [InlineData("registerVersions.users", "with-owners-only")]
    [InlineData("registerVersions.restriction", "99")]
    public async Task Bad_permissions_are_a_validation_error_naming_the_field_and_change_nothing(string field, string value)
    {
        var model = await ModelOfOlgaAsync();
        var request = (field, value) switch
        {
            ("owners", "") => new ModelPermissionsRequest([]),
            ("owners", _) => new ModelPermissionsRequest(["olga", value]),
            ("registerVersions.users", _) => new ModelPermissionsRequest(["olga"], new ActionRule(ModelRestriction.OwnersOnly, ["lisa"])),
            _ => new ModelPermissionsRequest(["olga"], new ActionRule((ModelRestriction)99, [])),
        };
        var refused = await Assert.ThrowsAsync<ValidationException>(() => fixture.Host.As<ModelPermissions>(Olga).SetAsync(model, request));
        Assert.Contains(field, refused.Errors.Keys);
        Assert.False((await fixture.Host.As<ModelPermissions>(Olga).GetAsync(model)).Stored);
    }
}
