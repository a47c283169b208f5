using ControlPlane.Domain.Common;
using ControlPlane.Domain.Costs;
using ControlPlane.Domain.Identity;
using ControlPlane.Domain.Persistence;
using ControlPlane.Domain.Webhooks;
using ControlPlane.TestSupport;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace ControlPlane.Domain.Tests.Costs;

/// <summary>
/// Cost figures through the real services and database on a fake clock, against costs worked out by hand. Rates:
/// default 6/h, gpu queue 30/h (configuration).
/// </summary>
public sealed class CostsTests : IAsyncLifetime
{
    private static readonly Actor Dana = new("u-dana", "dana", new HashSet<string> { ControlPlaneRoles.DataScientist }, true);
    private static readonly Actor Sam = new("u-sam", "sam", new HashSet<string> { ControlPlaneRoles.DataScientist }, true);
    private static readonly Actor Rita = new("u-rita", "rita", new HashSet<string> { ControlPlaneRoles.ComplianceReviewer }, true);
    private static readonly Actor Admin = new("u-admin", "admin", new HashSet<string> { ControlPlaneRoles.Admin }, true);
    private DomainHost _host = null!;
    private CostData _data = null!;
    private Guid _churn, _fraud;

    private static DateTime At(int month, int day, int hour, int minute = 0) => new(2026, month, day, hour, minute, 0, DateTimeKind.Utc);

    public async Task InitializeAsync()
    {
        _host = await DomainHost.StartAsync(new Dictionary<string, string?>
        {
            ["ControlPlane:Costs:DefaultHourlyRate"] = "6", ["ControlPlane:Costs:Queues:gpu"] = "30", ["ControlPlane:Costs:Currency"] = "EUR",
        });
        _data = new CostData(_host);
        (_churn, _fraud) = (await _data.ModelAsync("churn", "dana"), await _data.ModelAsync("fraud", "dana"));
    }

    public async Task DisposeAsync() => await _host.DisposeAsync();

    /// <summary>
    /// w1 (6/h): churn A 10 Jan 10:00–11:00, fraud B 10:30–12:00 → A 4.5, B 7.5 (the half hour they share is split).
    /// w2 gpu (30/h): churn C 10:00–10:20 alone → 10. w1: churn D 31 Jan 23:00 – 1 Feb 01:00 and fraud E 1 Feb 00:00–00:30 →
    /// D: January 1 h = 6, February 0.75 h = 4.5; E 0.25 h = 1.5.
    /// </summary>
    private async Task<(Guid A, Guid B, Guid C, Guid D, Guid E)> KnownRunsAsync() => (
        await _data.UsageAsync("TrainingJob", _churn, "w1", "default", At(1, 10, 10), At(1, 10, 11)),
        await _data.UsageAsync("DriftRunJob", _fraud, "w1", "default", At(1, 10, 10, 30), At(1, 10, 12)),
        await _data.UsageAsync("EvaluationJob", _churn, "w2", "gpu", At(1, 10, 10), At(1, 10, 10, 20)),
        await _data.UsageAsync("TrainingJob", _churn, "w1", "default", At(1, 31, 23), At(2, 1, 1)),
        await _data.UsageAsync("DriftRunJob", _fraud, "w1", "default", At(2, 1, 0), At(2, 1, 0, 30)));

    [Fact]
    public async Task Costs_by_model_kind_and_month_are_the_hand_computed_ones()
    {
        await KnownRunsAsync();
        _host.Time.SetUtcNow(At(3, 10, 12));
        var costs = _host.As<ControlPlane.Domain.Costs.Costs>(Rita); // any role reads costs

        var byModel = await costs.SummaryAsync(At(1, 1, 0), At(3, 1, 0), CostGrouping.Model);
        var byKind = await costs.SummaryAsync(At(1, 1, 0), At(3, 1, 0), CostGrouping.Kind);
        var byMonth = await costs.SummaryAsync(At(1, 1, 0), At(3, 1, 0), CostGrouping.Month);
        var february = await costs.SummaryAsync(At(2, 1, 0), At(3, 1, 0), CostGrouping.Model);

        // churn 4.5 + 10 + 10.5 = 25 (January 20.5, February 4.5); fraud 7.5 + 1.5 = 9.
        Assert.Equal(("EUR", 34.0), (byModel.Currency, byModel.Total));
        Assert.Equal([("churn", 25.0, 3), ("fraud", 9.0, 2)], byModel.Groups.Select(g => (g.Key, g.Cost, g.Jobs)));
        Assert.Equal(new Dictionary<string, double> { ["2026-01"] = 20.5, ["2026-02"] = 4.5 }, byModel.Groups[0].ByMonth);
        Assert.Equal([("TrainingJob", 15.0), ("EvaluationJob", 10.0), ("DriftRunJob", 9.0)], byKind.Groups.Select(g => (g.Key, g.Cost)));
        Assert.Equal([("2026-01", 28.0), ("2026-02", 6.0)], byMonth.Groups.Select(g => (g.Key, g.Cost)));
        Assert.Equal([("churn", 4.5), ("fraud", 1.5)], february.Groups.Select(g => (g.Key, g.Cost)));
    }

    [Fact]
    public async Task The_most_expensive_runs_come_first_with_their_whole_cost_in_the_range()
    {
        var (_, _, c, d, _) = await KnownRunsAsync();
        _host.Time.SetUtcNow(At(3, 10, 12));

        var top = await _host.As<ControlPlane.Domain.Costs.Costs>(Dana).TopRunsAsync(2, At(1, 1, 0), At(3, 1, 0));

        Assert.Equal([(d, 10.5, "churn"), (c, 10.0, "churn")], top.Select(r => (r.UsageId, r.Cost, r.Model!)));
        Assert.Equal(("gpu", "w2"), (top[1].Queue, top[1].Worker));
        Assert.Equal(1.0 / 3, top[1].Hours, 6);
        await Assert.ThrowsAsync<ValidationException>(() => _host.As<ControlPlane.Domain.Costs.Costs>(Dana).TopRunsAsync(0, null, null));
    }

    [Fact]
    public async Task A_running_job_is_charged_until_now_and_one_left_open_by_a_dead_worker_until_a_day_after_it_started()
    {
        _host.Time.SetUtcNow(At(5, 20, 12));
        var running = await _data.UsageAsync("TrainingJob", _churn, "w5", "default", At(5, 20, 11, 30), null); // 0.5 h × 6 = 3
        var dead = await _data.UsageAsync("TrainingJob", _churn, "w6", "default", At(5, 10, 0), null);        // 24 h × 6 = 144

        var top = await _host.As<ControlPlane.Domain.Costs.Costs>(Dana).TopRunsAsync(10, At(5, 1, 0), At(6, 1, 0));

        Assert.Equal([(dead, 144.0), (running, 3.0)], top.Select(r => (r.UsageId, r.Cost)));
    }

    [Fact]
    public async Task A_token_limited_to_one_model_sees_only_that_models_costs()
    {
        await KnownRunsAsync();
        _host.Time.SetUtcNow(At(3, 10, 12));
        var limited = Dana with { Models = new HashSet<string>(StringComparer.OrdinalIgnoreCase) { "fraud" } };

        var summary = await _host.As<ControlPlane.Domain.Costs.Costs>(limited).SummaryAsync(At(1, 1, 0), At(3, 1, 0), CostGrouping.Kind);
        var top = await _host.As<ControlPlane.Domain.Costs.Costs>(limited).TopRunsAsync(10, At(1, 1, 0), At(3, 1, 0));

        Assert.Equal(9.0, summary.Total);
        Assert.All(top, r => Assert.Equal("fraud", r.Model));
        await Assert.ThrowsAsync<ForbiddenException>(() => _host.As<CostBudgets>(limited).GetAsync("churn"));
    }

    [Fact]
    public async Task Admins_set_rates_with_an_audit_event_and_the_new_rates_price_the_runs_while_others_are_refused()
    {
        var (a, _, _, _, _) = await KnownRunsAsync();
        _host.Time.SetUtcNow(At(3, 10, 12));

        await Assert.ThrowsAsync<ForbiddenException>(() => _host.As<CostRates>(Dana).SetAsync(new CostRatesInput(new Dictionary<string, double> { ["w1"] = 0 }, null)));
        await Assert.ThrowsAsync<ForbiddenException>(() => _host.As<CostRates>(Rita).GetAsync());
        var readOnlyAdmin = Admin with { Scopes = TokenScopes.Read | TokenScopes.Admin };
        await Assert.ThrowsAsync<ForbiddenException>(() => _host.As<CostRates>(readOnlyAdmin).SetAsync(new CostRatesInput(new Dictionary<string, double> { ["w1"] = 0 }, null)));
        await Assert.ThrowsAsync<ValidationException>(() => _host.As<CostRates>(Admin).SetAsync(new CostRatesInput(null, new Dictionary<string, double> { ["cpu"] = 1 })));
        await Assert.ThrowsAsync<ValidationException>(() => _host.As<CostRates>(Admin).SetAsync(new CostRatesInput(new Dictionary<string, double> { ["w1"] = double.NaN }, null)));
        await Assert.ThrowsAsync<ValidationException>(() => _host.As<CostRates>(Admin).SetAsync(new CostRatesInput(new Dictionary<string, double> { ["w1"] = -1 }, null)));

        var view = await _host.As<CostRates>(Admin).SetAsync(new CostRatesInput(new Dictionary<string, double> { ["w1"] = 12 }, new Dictionary<string, double> { ["gpu"] = 60 }));
        var top = await _host.As<ControlPlane.Domain.Costs.Costs>(Dana).TopRunsAsync(10, At(1, 1, 0), At(2, 1, 0));

        Assert.Equal((12.0, 60.0, 30.0), (view.Workers["w1"], view.Queues["gpu"], view.ConfiguredQueues["gpu"]));
        Assert.Equal(9.0, top.Single(r => r.UsageId == a).Cost); // 0.75 h × 12
        await using var db = await _host.Services.GetRequiredService<IDbContextFactory<ControlPlaneDbContext>>().CreateDbContextAsync();
        Assert.Equal(1, await db.AuditEvents.CountAsync(e => e.Action == "costRates.changed" && e.ActorName == "admin"));
        Assert.Equal(0, await db.AuditEvents.CountAsync(e => e.EntityType == "jobUsage"));
    }

    [Fact]
    public async Task Only_an_admin_or_the_models_owners_set_its_budget_and_readers_see_it()
    {
        await Assert.ThrowsAsync<ForbiddenException>(() => _host.As<CostBudgets>(Sam).SetAsync("churn", new BudgetInput(10)));
        await Assert.ThrowsAsync<ForbiddenException>(() => _host.As<CostBudgets>(Rita).SetAsync("churn", new BudgetInput(10)));
        await Assert.ThrowsAsync<ForbiddenException>(() => _host.As<CostBudgets>(Dana with { Scopes = TokenScopes.Read }).SetAsync("churn", new BudgetInput(10)));
        await Assert.ThrowsAsync<ValidationException>(() => _host.As<CostBudgets>(Dana).SetAsync("churn", new BudgetInput(-1)));
        await Assert.ThrowsAsync<ValidationException>(() => _host.As<CostBudgets>(Dana).SetAsync("churn", new BudgetInput(double.PositiveInfinity)));
        await Assert.ThrowsAsync<NotFoundException>(() => _host.As<CostBudgets>(Dana).SetAsync("nope", new BudgetInput(1)));

        await _host.As<CostBudgets>(Dana).SetAsync("churn", new BudgetInput(10));
        await _host.As<CostBudgets>(Admin).SetAsync("fraud", new BudgetInput(25));
        var seen = await _host.As<CostBudgets>(Rita).GetAsync("churn");

        Assert.Equal(("churn", 10.0, false), (seen.Model, seen.MonthlyAmount, seen.Exceeded));
        await _host.As<CostBudgets>(Dana).SetAsync("churn", new BudgetInput(null));
        Assert.Null((await _host.As<CostBudgets>(Rita).GetAsync("churn")).MonthlyAmount);

        // An owner added on the model's permissions sets it too; the creator taken off the owners no longer does.
        await using (var db = await _host.Services.GetRequiredService<IDbContextFactory<ControlPlaneDbContext>>().CreateDbContextAsync())
        {
            var churn = await db.Models.SingleAsync(m => m.Name == "churn");
            db.ModelPermissions.Add(new ControlPlane.Domain.Registry.Permissions.ModelPermissionSet
            {
                ModelId = churn.Id, Owners = """["sam"]""", Rules = "{}", UpdatedBy = "admin", UpdatedAtUtc = DateTime.UtcNow, ConcurrencyStamp = Guid.NewGuid(),
            });
            await db.SaveChangesAsync();
        }
        Assert.Equal(7.0, (await _host.As<CostBudgets>(Sam).SetAsync("churn", new BudgetInput(7))).MonthlyAmount);
        await Assert.ThrowsAsync<ForbiddenException>(() => _host.As<CostBudgets>(Dana).SetAsync("churn", new BudgetInput(1)));
    }

    [Fact]
    public async Task A_budget_alerts_once_in_the_month_it_is_passed_and_again_in_the_next()
    {
        await using (var db = await _host.Services.GetRequiredService<IDbContextFactory<ControlPlaneDbContext>>().CreateDbContextAsync())
        {
            db.WebhookSubscriptions.Add(new WebhookSubscription { Id = Guid.NewGuid(), Url = "https://hooks.example.test/cost", Events = WebhookEvents.CostBudgetExceeded, CreatedBy = "admin" });
            db.WebhookSubscriptions.Add(new WebhookSubscription { Id = Guid.NewGuid(), Url = "https://hooks.example.test/drift", Events = WebhookEvents.DriftDetected, CreatedBy = "admin" });
            await db.SaveChangesAsync();
        }
        _host.Time.SetUtcNow(At(1, 20, 9)); // the host's clock starts on 15 January
        await _host.As<CostBudgets>(Dana).SetAsync("churn", new BudgetInput(10));
        var budgets = _host.Services.CreateScope().ServiceProvider.GetRequiredService<CostBudgets>(); // as the job filter calls it: no user

        await _data.UsageAsync("TrainingJob", _churn, "w1", "default", At(1, 10, 10), At(1, 10, 11)); // 6: under 10
        var under = await budgets.CheckAsync(_churn);
        await _data.UsageAsync("TrainingJob", _churn, "w1", "default", At(1, 10, 11), At(1, 10, 12)); // 12: over
        var first = await budgets.CheckAsync(_churn);
        await _data.UsageAsync("TrainingJob", _churn, "w1", "default", At(1, 10, 12), At(1, 10, 13)); // 18: still over, same month
        var second = await budgets.CheckAsync(_churn);
        _host.Time.SetUtcNow(At(2, 3, 12));
        var newMonthUnder = await budgets.CheckAsync(_churn);
        await _data.UsageAsync("EvaluationJob", _churn, "w2", "gpu", At(2, 3, 10), At(2, 3, 10, 30)); // 0.5 h × 30 = 15: over
        var nextMonth = await budgets.CheckAsync(_churn);

        Assert.Empty(under);
        Assert.Equal("https://hooks.example.test/cost", Assert.Single(first).Url);
        Assert.Contains("\"event\":\"cost.budget_exceeded\"", first[0].Payload);
        Assert.Contains("\"month\":\"2026-01\"", first[0].Payload);
        Assert.Contains("\"spent\":12", first[0].Payload);
        Assert.Empty(second);
        Assert.Empty(newMonthUnder);
        Assert.Contains("\"month\":\"2026-02\"", Assert.Single(nextMonth).Payload);
        await using var check = await _host.Services.GetRequiredService<IDbContextFactory<ControlPlaneDbContext>>().CreateDbContextAsync();
        var notes = await check.Notifications.Where(n => n.Kind == "cost").OrderBy(n => n.CreatedAtUtc).Select(n => n.Title).ToListAsync();
        Assert.Equal(["churn passed its budget for 2026-01", "churn passed its budget for 2026-02"], notes);
    }
}
