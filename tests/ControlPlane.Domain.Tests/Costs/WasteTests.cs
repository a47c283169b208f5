using ControlPlane.Domain.Common;
using ControlPlane.Domain.Costs;
using ControlPlane.Domain.Drift;
using ControlPlane.Domain.Identity;
using ControlPlane.Domain.Training;
using ControlPlane.TestSupport;

namespace ControlPlane.Domain.Tests.Costs;

/// <summary>Wasted retrains and idle monitors classified on constructed runs (default rate 6/h, so 10 minutes alone cost 1).</summary>
public sealed class WasteTests : IAsyncLifetime
{
    private static readonly Actor Dana = new("u-dana", "dana", new HashSet<string> { ControlPlaneRoles.DataScientist }, true);
    private static readonly Actor Rita = new("u-rita", "rita", new HashSet<string> { ControlPlaneRoles.ComplianceReviewer }, true);
    private DomainHost _host = null!;
    private CostData _data = null!;
    private Guid _churn, _dataset;

    private static DateTime At(int month, int day, int hour = 0, int minute = 0) => new(2026, month, day, hour, minute, 0, DateTimeKind.Utc);

    public async Task InitializeAsync()
    {
        _host = await DomainHost.StartAsync(new Dictionary<string, string?> { ["ControlPlane:Costs:DefaultHourlyRate"] = "6" });
        _data = new CostData(_host);
        _churn = await _data.ModelAsync("churn", "dana");
        _dataset = await _data.DatasetVersionAsync();
    }

    public async Task DisposeAsync() => await _host.DisposeAsync();

    [Fact]
    public async Task Retrains_worse_than_the_champion_or_never_promoted_past_the_grace_period_are_wasted_and_carry_their_cost()
    {
        var spec = await _data.SpecAsync(_churn, _dataset);
        var v1 = await _data.VersionAsync(_churn, 1);
        var v2 = await _data.VersionAsync(_churn, 2);
        var v3 = await _data.VersionAsync(_churn, 3);
        var v4 = await _data.VersionAsync(_churn, 4);
        var v5 = await _data.VersionAsync(_churn, 5);
        await _data.PromoteAsync(v1, At(3, 2));
        await _data.PromoteAsync(v5, At(5, 2));
        var champion = await _data.EvaluationAsync(v1, _dataset, """{"rocAuc":0.80,"accuracy":0.70}""");
        var r1 = await _data.TrainingRunAsync(spec, v1, At(3, 1), await _data.EvaluationAsync(v1, _dataset, """{"rocAuc":0.80}"""));
        // Worse ROC AUC (the first headline metric both have), although its accuracy is better.
        var r2 = await _data.TrainingRunAsync(spec, v2, At(4, 1), await _data.EvaluationAsync(v2, _dataset, """{"rocAuc":0.75,"accuracy":0.90}"""), champion);
        // Better, but not in Production 30 days later (grace: 14 days).
        var r3 = await _data.TrainingRunAsync(spec, v3, At(4, 15), await _data.EvaluationAsync(v3, _dataset, """{"rocAuc":0.85}"""), champion);
        // Better and only 3 days old: still within the grace period.
        await _data.TrainingRunAsync(spec, v4, At(5, 12), await _data.EvaluationAsync(v4, _dataset, """{"rocAuc":0.90}"""), champion);
        // Promoted: not wasted even though old.
        await _data.TrainingRunAsync(spec, v5, At(4, 20));
        // A failed run registered nothing: not a retrain to judge.
        await _data.TrainingRunAsync(spec, null, At(4, 21), status: TrainingRunStatus.Failed);
        await _data.UsageAsync("TrainingJob", _churn, "w1", "default", At(4, 1, 9), At(4, 1, 10), r2);    // 1 h alone → 6
        await _data.UsageAsync("TrainingJob", _churn, "w1", "default", At(4, 15, 9), At(4, 15, 9, 10), r3); // 10 min → 1
        await _data.UsageAsync("TrainingJob", _churn, "w1", "default", At(4, 15, 9), At(4, 15, 9, 10));     // shares r3's worker: r3 pays 0.5
        _host.Time.SetUtcNow(At(5, 15));

        var wasted = await _host.As<ControlPlane.Domain.Costs.Costs>(Rita).WastedRetrainsAsync();

        Assert.Equal([(r3, WastedReason.NeverPromoted, 3, 0.5), (r2, WastedReason.WorseThanChampion, 2, 6.0)],
            wasted.Select(w => (w.RunId, w.Reason, w.Version!.Value, w.Cost)));
        Assert.Equal("rocAuc 0.75 vs the champion's 0.8", wasted[1].Detail);
        Assert.DoesNotContain(wasted, w => w.RunId == r1);
    }

    [Fact]
    public async Task Scheduled_monitors_that_found_no_drift_in_three_months_are_idle_and_others_are_not()
    {
        var v1 = await _data.VersionAsync(_churn, 1);
        var idle = await _data.MonitorAsync("quiet", v1, _dataset, "0 6 * * *", At(1, 1));
        var drifted = await _data.MonitorAsync("drifted", v1, _dataset, "0 6 * * *", At(1, 1));
        var manual = await _data.MonitorAsync("manual", v1, _dataset, null, At(1, 1));
        var young = await _data.MonitorAsync("young", v1, _dataset, "0 6 * * *", At(5, 1));
        var neverRan = await _data.MonitorAsync("never-ran", v1, _dataset, "0 6 * * *", At(1, 1));
        var failing = await _data.MonitorAsync("failing", v1, _dataset, "0 6 * * *", At(1, 1));
        // Drift before the window does not count: only the last three months do.
        await _data.DriftRunAsync(idle, _dataset, At(2, 1), drift: true);
        foreach (var month in new[] { 4, 5, 6 })
        {
            var run = await _data.DriftRunAsync(idle, _dataset, At(month, 1, 6), drift: false);
            await _data.UsageAsync("DriftRunJob", _churn, $"w{month}", "default", At(month, 1, 6), At(month, 1, 6, 10), run); // 1 each
            await _data.DriftRunAsync(manual, _dataset, At(month, 1, 6), drift: false);
            await _data.DriftRunAsync(young, _dataset, At(month, 2, 6), drift: false);
        }
        await _data.DriftRunAsync(drifted, _dataset, At(4, 1), drift: false);
        await _data.DriftRunAsync(drifted, _dataset, At(5, 1), drift: true);
        await _data.DriftRunAsync(failing, _dataset, At(5, 1), drift: false, DriftRunStatus.Failed);
        _host.Time.SetUtcNow(At(6, 15));

        var monitors = await _host.As<ControlPlane.Domain.Costs.Costs>(Rita).IdleMonitorsAsync();

        var only = Assert.Single(monitors);
        Assert.Equal((idle, "quiet", "churn", 3, 3.0, 3), (only.MonitorId, only.Monitor, only.Model, only.Runs, only.Cost, only.Months));
        Assert.NotEqual(neverRan, only.MonitorId);
    }
}
