using System.Text;
using ControlPlane.Domain.Common;
using ControlPlane.Domain.Datasets;
using ControlPlane.Domain.Identity;
using ControlPlane.Domain.Persistence;
using ControlPlane.Domain.Production;
using ControlPlane.Domain.Registry;
using ControlPlane.Domain.Training;
using ControlPlane.TestModels;
using ControlPlane.TestSupport;
using ControlPlane.Workers.Evaluation.Metrics;
using ControlPlane.Workers.Inspection;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace ControlPlane.Web.Tests.Production;

/// <summary>
/// The production monitor service's rules on a real SQLite file: each validation names its field and stores nothing,
/// only the model's owner, the monitor's owner or an admin changes a monitor, tokens without read or write get nowhere,
/// lost races are 409s, and every change leaves an audit event.
/// </summary>
public sealed class ProductionMonitorsServiceTests : IAsyncLifetime
{
    private static readonly Actor Dana = new("ds-1", "dana", new HashSet<string> { ControlPlaneRoles.DataScientist }, true);
    private static readonly Actor Erin = new("ds-2", "erin", new HashSet<string> { ControlPlaneRoles.DataScientist }, true);
    private static readonly Actor Rita = new("cr-1", "rita", new HashSet<string> { ControlPlaneRoles.ComplianceReviewer }, true);
    private static readonly Actor Ada = new("ad-1", "ada", new HashSet<string> { ControlPlaneRoles.Admin }, true);
    private DomainHost _host = null!;

    public async Task InitializeAsync()
    {
        _host = await DomainHost.StartAsync(services: s => s.AddSingleton<IArtifactInspector, ArtifactInspector>());
        var registry = _host.As<ModelRegistry>(Dana);
        await registry.CreateModelAsync("scorer", null, null);
        await registry.CreateModelAsync("other", null, null);
        for (var i = 0; i < 2; i++)
        {
            await using var onnx = new MemoryStream(HandBuiltOnnx.Identity());
            await registry.RegisterVersionAsync("scorer", onnx, "m.onnx", null);
        }
        await _host.As<ModelAliases>(Dana).SetAsync("scorer", "current", 2, "first live version");
        var datasets = _host.As<DatasetCatalog>(Dana);
        await datasets.CreateAsync("applications", null, null);
        await using var csv = new MemoryStream(Encoding.UTF8.GetBytes("income,label\n1,true\n2,false\n3,true\n"));
        await datasets.AddVersionAsync("applications", csv, "a.csv", null, null);
    }

    public async Task DisposeAsync() => await _host.DisposeAsync();

    private ProductionMonitors As(Actor actor) => _host.As<ProductionMonitors>(actor);

    private static ProductionMonitorRequest Valid(string name = "live") => new(name, ProductionTarget.Alias, "Current", ProductionWindowSize.Hour,
        new DatasetRef("applications", 1), new ProductionMonitorSettings { LatencyP95Ms = 50, PerformanceMetric = "rocAuc", PerformanceThreshold = 0.7 });

    [Fact]
    public async Task The_owner_creates_a_monitor_whose_target_is_stored_as_the_alias_is_named_and_the_creation_is_audited()
    {
        var monitor = await As(Dana).CreateAsync("scorer", Valid());

        Assert.Equal("current", monitor.TargetValue); // the alias's own spelling, not the request's
        Assert.Equal(new DatasetRef("applications", 1), monitor.Reference);
        Assert.Equal(0.7, monitor.Settings.PerformanceThreshold);
        Assert.Null(monitor.Latest);
        Assert.Equal(monitor.Id, (await As(Rita).GetAsync("scorer", "LIVE")).Id); // by name, case-insensitively, for any reader
        Assert.Equal(["live"], (await As(Rita).ListAsync("scorer")).Select(m => m.Name));
        Assert.Contains("productionMonitor.created", await AuditActionsAsync(monitor.Id));
    }

    public static TheoryData<string, ProductionMonitorRequest> Refusals => new()
    {
        { "targetValue", Valid() with { TargetValue = "challenger" } },
        { "targetValue", Valid() with { Target = ProductionTarget.Stage, TargetValue = "Archived" } },
        { "targetValue", Valid() with { Target = ProductionTarget.Stage, TargetValue = "2" } },
        { "targetValue", Valid() with { Target = ProductionTarget.Versions, TargetValue = "1,3" } },
        { "targetValue", Valid() with { Target = ProductionTarget.Versions, TargetValue = "1,x" } },
        { "targetValue", Valid() with { Target = ProductionTarget.Versions, TargetValue = " , " } },
        { "target", Valid() with { Target = (ProductionTarget)7 } },
        { "windowSize", Valid() with { WindowSize = (ProductionWindowSize)9 } },
        { "settings.driftAlpha", Valid() with { Settings = new() { DriftAlpha = 0 } } },
        { "settings.driftAlpha", Valid() with { Settings = new() { DriftAlpha = 1 } } },
        { "settings.driftAlpha", Valid() with { Settings = new() { DriftAlpha = double.NaN } } },
        { "settings.driftShare", Valid() with { Settings = new() { DriftShare = 0 } } },
        { "settings.driftShare", Valid() with { Settings = new() { DriftShare = 1.01 } } },
        { "settings.latencyP95Ms", Valid() with { Settings = new() { LatencyP95Ms = 0 } } },
        { "settings.latencyP99Ms", Valid() with { Settings = new() { LatencyP99Ms = double.PositiveInfinity } } },
        { "settings.maxErrorRate", Valid() with { Settings = new() { MaxErrorRate = -0.1 } } },
        { "settings.maxMissingRate", Valid() with { Settings = new() { MaxMissingRate = 2 } } },
        { "settings.minPredictions", Valid() with { Settings = new() { MinPredictions = 0 } } },
        { "settings.minLabelled", Valid() with { Settings = new() { MinLabelled = 0 } } },
        { "settings.scoreThreshold", Valid() with { Settings = new() { ScoreThreshold = 1 } } },
        { "settings.performanceMetric", Valid() with { Settings = new() { PerformanceMetric = "auc", PerformanceThreshold = 0.7 } } },
        { "settings.performanceMetric", Valid() with { Settings = new() { PerformanceMetric = "rocAuc" } } },
        { "settings.performanceThreshold", Valid() with { Settings = new() { PerformanceMetric = "rocAuc", PerformanceThreshold = double.NaN } } },
        { "alertCooldownMinutes", Valid() with { AlertCooldownMinutes = -1 } },
        { "retrainSpecId", Valid() with { RetrainSpecId = Guid.NewGuid() } },
    };

    [Theory]
    [MemberData(nameof(Refusals))]
    public async Task Each_invalid_definition_is_refused_naming_its_field_and_stores_nothing(string field, ProductionMonitorRequest request)
    {
        var e = await Assert.ThrowsAsync<ValidationException>(() => As(Dana).CreateAsync("scorer", request));

        Assert.True(e.Errors.ContainsKey(field), $"expected an error on {field}, got {string.Join(", ", e.Errors.Keys)}: {e.Message}");
        Assert.Empty(await As(Dana).ListAsync("scorer"));
    }

    [Fact]
    public async Task A_reference_version_that_does_not_exist_is_a_404_and_stores_nothing()
    {
        await Assert.ThrowsAsync<NotFoundException>(() => As(Dana).CreateAsync("scorer", Valid() with { Reference = new DatasetRef("applications", 2) }));
        Assert.Empty(await As(Dana).ListAsync("scorer"));
    }

    [Fact]
    public async Task Stage_and_version_targets_are_stored_in_their_canonical_form()
    {
        var stage = await As(Dana).CreateAsync("scorer", Valid("staged") with { Target = ProductionTarget.Stage, TargetValue = "production" });
        var versions = await As(Dana).CreateAsync("scorer", Valid("listed") with { Target = ProductionTarget.Versions, TargetValue = " 2, 1,2 " });

        Assert.Equal("Production", stage.TargetValue);
        Assert.Equal("1,2", versions.TargetValue);
    }

    [Fact]
    public async Task A_retrain_spec_of_another_model_is_refused_and_one_of_this_model_is_kept()
    {
        var spec = await SpecAsync("other");
        var e = await Assert.ThrowsAsync<ValidationException>(() => As(Dana).CreateAsync("scorer", Valid() with { RetrainSpecId = spec }));
        Assert.True(e.Errors.ContainsKey("retrainSpecId"));

        var own = await SpecAsync("scorer");
        var monitor = await As(Dana).CreateAsync("scorer", Valid() with { RetrainSpecId = own });
        Assert.Equal(own, monitor.RetrainSpecId);
        Assert.Equal("weekly-scorer", monitor.RetrainSpec);
    }

    [Fact]
    public async Task Another_data_scientist_and_a_reviewer_can_neither_create_nor_change_nor_disable_the_owners_monitor_but_an_admin_can()
    {
        var monitor = await As(Dana).CreateAsync("scorer", Valid());
        var edit = Valid() with { Description = "taken over", ConcurrencyStamp = monitor.ConcurrencyStamp };

        await Assert.ThrowsAsync<ForbiddenException>(() => As(Erin).CreateAsync("scorer", Valid("erins")));
        await Assert.ThrowsAsync<ForbiddenException>(() => As(Erin).UpdateAsync("scorer", "live", edit));
        await Assert.ThrowsAsync<ForbiddenException>(() => As(Erin).SetEnabledAsync("scorer", "live", false, null));
        await Assert.ThrowsAsync<ForbiddenException>(() => As(Rita).CreateAsync("scorer", Valid("ritas")));
        await Assert.ThrowsAsync<ForbiddenException>(() => As(Rita).UpdateAsync("scorer", "live", edit));
        var unchanged = await As(Dana).GetAsync("scorer", "live");
        Assert.Null(unchanged.Description);
        Assert.True(unchanged.Enabled);

        var byAdmin = await As(Ada).UpdateAsync("scorer", "live", edit);
        Assert.Equal("taken over", byAdmin.Description);
        Assert.Equal("dana", byAdmin.Owner);
    }

    [Fact]
    public async Task An_ingest_only_token_a_read_token_and_a_token_for_other_models_cannot_create_monitors()
    {
        await Assert.ThrowsAsync<ForbiddenException>(() => As(Dana with { Scopes = TokenScopes.Ingest }).CreateAsync("scorer", Valid()));
        await Assert.ThrowsAsync<ForbiddenException>(() => As(Dana with { Scopes = TokenScopes.Ingest }).ListAsync("scorer"));
        await Assert.ThrowsAsync<ForbiddenException>(() => As(Dana with { Scopes = TokenScopes.Read }).CreateAsync("scorer", Valid()));
        var limited = Dana with { Scopes = TokenScopes.Read | TokenScopes.Write, Models = new HashSet<string>(["other"], StringComparer.OrdinalIgnoreCase) };
        await Assert.ThrowsAsync<ForbiddenException>(() => As(limited).CreateAsync("scorer", Valid()));
        await Assert.ThrowsAsync<ForbiddenException>(() => As(limited).ListAsync("scorer"));

        Assert.Empty(await As(Dana).ListAsync("scorer"));
        Assert.NotNull(await As(Dana with { Scopes = TokenScopes.Read | TokenScopes.Write }).CreateAsync("scorer", Valid()));
    }

    [Fact]
    public async Task Of_two_edits_made_from_the_same_read_the_second_is_a_conflict_and_loses_nothing()
    {
        var read = await As(Dana).CreateAsync("scorer", Valid());
        await As(Dana).UpdateAsync("scorer", read.Id.ToString(), Valid() with { Description = "first", ConcurrencyStamp = read.ConcurrencyStamp });

        await Assert.ThrowsAsync<ConflictException>(() => As(Ada).UpdateAsync("scorer", "live", Valid() with { Description = "second", ConcurrencyStamp = read.ConcurrencyStamp }));
        await Assert.ThrowsAsync<ConflictException>(() => As(Ada).SetEnabledAsync("scorer", "live", false, read.ConcurrencyStamp));
        var now = await As(Dana).GetAsync("scorer", "live");
        Assert.Equal("first", now.Description);
        Assert.True(now.Enabled);
    }

    [Fact]
    public async Task Disabling_and_enabling_are_audited_and_compute_now_refuses_a_disabled_monitor()
    {
        var monitor = await As(Dana).CreateAsync("scorer", Valid());
        var off = await As(Dana).SetEnabledAsync("scorer", "live", false, monitor.ConcurrencyStamp);
        await As(Dana).SetEnabledAsync("scorer", "live", true, off.ConcurrencyStamp);

        var actions = await AuditActionsAsync(monitor.Id);
        Assert.Contains("productionMonitor.disabled", actions);
        Assert.Contains("productionMonitor.enabled", actions);
        await As(Dana).SetEnabledAsync("scorer", "live", false, null);
        await Assert.ThrowsAsync<ConflictException>(() => As(Dana).ComputeNowAsync("scorer", "live"));
    }

    [Fact]
    public async Task Windows_are_listed_newest_first_paged_on_the_server_and_filtered_by_start()
    {
        var monitor = await As(Dana).CreateAsync("scorer", Valid());
        var start = new DateTime(2026, 3, 1, 0, 0, 0, DateTimeKind.Utc);
        await using (var db = await Contexts().CreateDbContextAsync())
        {
            for (var h = 0; h < 5; h++)
                db.ProductionWindows.Add(new ProductionWindow
                {
                    Id = Guid.NewGuid(), MonitorId = monitor.Id, StartUtc = start.AddHours(h), EndUtc = start.AddHours(h + 1), ComputedAtUtc = start.AddHours(h + 1),
                    Predictions = 100 + h, Health = h == 3 ? WindowHealth.Breached : WindowHealth.Healthy, Breaches = h == 3 ? "slo,drift" : "",
                    Results = new ProductionWindowResult { Predictions = 100 + h }.ToJson(), InputsStamp = $"s{h}",
                });
            await db.SaveChangesAsync();
        }

        var page = await As(Rita).ListWindowsAsync("scorer", "live", new PageRequest(0, 2));
        var filtered = await As(Rita).ListWindowsAsync("scorer", "live", new PageRequest(0, 10), start.AddHours(1), start.AddHours(3));

        Assert.Equal(5, page.TotalCount);
        Assert.Equal([104L, 103L], page.Items.Select(w => w.Predictions));
        Assert.Equal(["slo", "drift"], page.Items[1].Breaches);
        Assert.Equal([102L, 101L], filtered.Items.Select(w => w.Result.Predictions));
        var latest = (await As(Rita).GetAsync("scorer", "live")).Latest!;
        Assert.Equal(start.AddHours(4), latest.Start);
        Assert.Equal(WindowHealth.Healthy, latest.Health);
        await Assert.ThrowsAsync<ValidationException>(() => As(Rita).ListWindowsAsync("scorer", "live", new PageRequest(), start, start));
    }

    [Fact]
    public async Task The_change_feed_tells_a_monitors_watchers_when_a_window_is_computed_and_not_otherwise()
    {
        var monitor = await As(Dana).CreateAsync("scorer", Valid());
        var feed = _host.Services.GetRequiredService<ControlPlane.Domain.Live.ChangeFeed>();
        var calls = 0;
        using var watch = feed.Subscribe(ControlPlane.Domain.Live.LiveSubject.ProductionMonitor(monitor.Id), () => { calls++; return Task.CompletedTask; });
        await feed.TickAsync(); // the first tick always delivers
        await feed.TickAsync();
        Assert.Equal(1, calls);

        await using (var db = await Contexts().CreateDbContextAsync())
        {
            db.ProductionWindows.Add(new ProductionWindow
            {
                Id = Guid.NewGuid(), MonitorId = monitor.Id, StartUtc = new DateTime(2026, 3, 1, 0, 0, 0, DateTimeKind.Utc), EndUtc = new DateTime(2026, 3, 1, 1, 0, 0, DateTimeKind.Utc),
                ComputedAtUtc = new DateTime(2026, 3, 1, 1, 5, 0, DateTimeKind.Utc), Results = new ProductionWindowResult().ToJson(), InputsStamp = "s",
            });
            await db.SaveChangesAsync();
        }
        await feed.TickAsync();
        await feed.TickAsync();
        Assert.Equal(2, calls);
    }

    [Fact]
    public void The_metrics_a_monitor_may_judge_are_exactly_those_the_evaluation_computes_with_a_direction()
    {
        var computed = typeof(MetricNames).GetFields().Where(f => f.IsLiteral).Select(f => (string)f.GetRawConstantValue()!)
            .Where(n => MetricNames.GreaterIsBetter(n) is not null).Order(StringComparer.Ordinal);
        Assert.Equal(computed, ProductionMonitorRules.Metrics.Order(StringComparer.Ordinal));
    }

    private IDbContextFactory<ControlPlaneDbContext> Contexts() => _host.Services.GetRequiredService<IDbContextFactory<ControlPlaneDbContext>>();

    private async Task<List<string>> AuditActionsAsync(Guid monitorId)
    {
        await using var db = await Contexts().CreateDbContextAsync();
        return await db.AuditEvents.Where(e => e.EntityId == monitorId.ToString()).Select(e => e.Action).ToListAsync();
    }

    private async Task<Guid> SpecAsync(string model)
    {
        var spec = await _host.As<TrainingService>(Dana).CreateSpecAsync(new TrainingSpecRequest(model, $"weekly-{model}", TrainingTask.Binary, "label",
            [new("income", FeatureTreatment.Numerical)], TrainerCatalog.FastTree, new DatasetSelection("applications")));
        return spec.Id;
    }
}
