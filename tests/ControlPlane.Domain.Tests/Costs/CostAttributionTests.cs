using ControlPlane.Domain.Costs;

namespace ControlPlane.Domain.Tests.Costs;

/// <summary>Shared-worker attribution against costs worked out by hand (interval by interval, as docs/costs.md states the rule).</summary>
public sealed class CostAttributionTests
{
    private static DateTime At(int month, int day, int hour, int minute = 0) => new(2026, month, day, hour, minute, 0, DateTimeKind.Utc);

    private static readonly Guid A = Guid.Parse("00000000-0000-0000-0000-00000000000a"), B = Guid.Parse("00000000-0000-0000-0000-00000000000b"),
        C = Guid.Parse("00000000-0000-0000-0000-00000000000c"), D = Guid.Parse("00000000-0000-0000-0000-00000000000d"),
        E = Guid.Parse("00000000-0000-0000-0000-00000000000e");

    private static double CostOf(IReadOnlyList<CostSlice> slices, Guid id) => slices.Where(s => s.UsageId == id).Sum(s => s.Cost);

    [Fact]
    public void Overlapping_jobs_on_one_worker_split_the_shared_interval_and_other_workers_do_not_count()
    {
        // w1 at 6/h: A 10:00–11:00, B 10:30–12:00. 10:00–10:30 A alone (0.5 h); 10:30–11:00 shared (0.25 h each);
        // 11:00–12:00 B alone (1 h). A = 0.75 h × 6 = 4.5, B = 1.25 h × 6 = 7.5: the worker's two busy hours cost 12 once.
        // C on w2 at 30/h, 10:00–10:20 alone: 1/3 h × 30 = 10, though it overlaps A in time.
        var slices = CostAttribution.Attribute(
        [
            new UsageSpan(A, "w1", At(1, 10, 10), At(1, 10, 11), 6),
            new UsageSpan(B, "w1", At(1, 10, 10, 30), At(1, 10, 12), 6),
            new UsageSpan(C, "w2", At(1, 10, 10), At(1, 10, 10, 20), 30),
        ], At(1, 1, 0), At(2, 1, 0));

        Assert.Equal(4.5, CostOf(slices, A), 9);
        Assert.Equal(7.5, CostOf(slices, B), 9);
        Assert.Equal(10.0, CostOf(slices, C), 9);
        Assert.Equal(0.75, slices.Single(s => s.UsageId == A).Hours, 9);
    }

    [Fact]
    public void Jobs_with_different_rates_on_one_worker_each_pay_their_own_rate_for_their_share()
    {
        // Both run 09:00–10:00 on w1; A's rate is 6/h (default queue), B's 30/h (gpu queue): each half an hour.
        var slices = CostAttribution.Attribute(
            [new UsageSpan(A, "w1", At(1, 10, 9), At(1, 10, 10), 6), new UsageSpan(B, "w1", At(1, 10, 9), At(1, 10, 10), 30)],
            At(1, 1, 0), At(2, 1, 0));

        Assert.Equal(3.0, CostOf(slices, A), 9);
        Assert.Equal(15.0, CostOf(slices, B), 9);
    }

    [Fact]
    public void A_job_across_a_month_boundary_is_charged_to_each_month_for_its_time_in_it()
    {
        // w1 at 6/h. D 31 Jan 23:00 – 1 Feb 01:00; E 1 Feb 00:00–00:30.
        // Jan: D alone 23:00–24:00 = 1 h → 6. Feb: 00:00–00:30 shared (0.25 h each), 00:30–01:00 D alone (0.5 h):
        // D 0.75 h → 4.5, E 0.25 h → 1.5.
        UsageSpan[] spans = [new(D, "w1", At(1, 31, 23), At(2, 1, 1), 6), new(E, "w1", At(2, 1, 0), At(2, 1, 0, 30), 6)];

        var slices = CostAttribution.Attribute(spans, At(1, 1, 0), At(3, 1, 0));
        var clipped = CostAttribution.Attribute(spans, At(2, 1, 0), At(3, 1, 0));

        var january = new DateTime(2026, 1, 1, 0, 0, 0, DateTimeKind.Utc);
        var february = january.AddMonths(1);
        Assert.Equal(6.0, slices.Single(s => s.UsageId == D && s.MonthUtc == january).Cost, 9);
        Assert.Equal(4.5, slices.Single(s => s.UsageId == D && s.MonthUtc == february).Cost, 9);
        Assert.Equal(1.5, slices.Single(s => s.UsageId == E).Cost, 9);
        Assert.DoesNotContain(clipped, s => s.MonthUtc == january);
        Assert.Equal(4.5, CostOf(clipped, D), 9);
    }

    [Fact]
    public void A_job_that_ends_as_another_starts_does_not_share_with_it_and_an_empty_job_costs_nothing()
    {
        var slices = CostAttribution.Attribute(
        [
            new UsageSpan(A, "w1", At(1, 10, 9), At(1, 10, 10), 6),
            new UsageSpan(B, "w1", At(1, 10, 10), At(1, 10, 11), 6),
            new UsageSpan(C, "w1", At(1, 10, 10), At(1, 10, 10), 6),
        ], At(1, 1, 0), At(2, 1, 0));

        Assert.Equal(6.0, CostOf(slices, A), 9);
        Assert.Equal(6.0, CostOf(slices, B), 9);
        Assert.Equal(0.0, CostOf(slices, C), 9);
    }

    [Fact]
    public void A_workers_rate_wins_over_its_queues_and_stored_rates_over_configured_ones()
    {
        var options = new CostOptions { DefaultHourlyRate = 1, Queues = { ["gpu"] = 30 }, Workers = { ["big-box"] = 50 } };
        var stored = new[] { new CostSetting { Kind = CostSettingKind.QueueRate, Key = "default", Amount = 4, UpdatedBy = "admin" },
            new CostSetting { Kind = CostSettingKind.WorkerRate, Key = "Big-Box", Amount = 60, UpdatedBy = "admin" } };

        var rates = new CostRateTable(options, stored);

        Assert.Equal(60, rates.RateFor("big-box", "gpu"));
        Assert.Equal(30, rates.RateFor("small-box", "gpu"));
        Assert.Equal(4, rates.RateFor("small-box", "default"));
        Assert.Equal(1, new CostRateTable(options, []).RateFor("small-box", "default"));
    }
}
