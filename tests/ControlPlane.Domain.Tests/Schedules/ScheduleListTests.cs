using ControlPlane.Domain.Common;
using ControlPlane.Domain.Identity;
using ControlPlane.Domain.Schedules;
using ControlPlane.TestSupport;
using Microsoft.Extensions.DependencyInjection;
using ScheduleService = ControlPlane.Domain.Schedules.Schedules;

namespace ControlPlane.Domain.Tests.Schedules;

/// <summary>The built-in jobs on a controlled clock, with a job system that records what it is told.</summary>
public sealed class ScheduleListTests
{
    private static readonly Actor Admin = new("admin-id", "admin", new HashSet<string> { ControlPlaneRoles.Admin }, true);

    private sealed class RecordingJobs : IRecurringJobStore
    {
        public Dictionary<string, (string Cron, string TimeZone, MisfirePolicy Misfire)> Registered { get; } = [];

        public IReadOnlyDictionary<string, RecurringJobState> Find(IReadOnlyCollection<string> ids) => new Dictionary<string, RecurringJobState>();
        public void AddOrUpdate(ScheduleId id, string cron, TimeZoneInfo timeZone, MisfirePolicy misfire) => Registered[id.ToString()] = (cron, timeZone.Id, misfire);
        public void Remove(ScheduleId id) => Registered.Remove(id.ToString());
        public string? Trigger(ScheduleId id) => Registered.ContainsKey(id.ToString()) ? "job-1" : null;
        public IReadOnlyList<ScheduleRun> History(ScheduleId id, int count) => [];
        public IReadOnlyDictionary<string, ScheduleRun> LastFinishedRuns(IReadOnlyCollection<ScheduleId> ids) => new Dictionary<string, ScheduleRun>();
    }

    [Fact]
    public async Task Next_runs_are_computed_from_the_clock_in_each_schedules_time_zone()
    {
        var jobs = new RecordingJobs();
        await using var host = await DomainHost.StartAsync(services: s => s.AddSingleton<IRecurringJobStore>(jobs));
        // The host's clock stands at 2026-01-15 09:30:00.1234567 UTC.

        var all = await host.As<ScheduleService>(Admin).ListAsync();

        Assert.Equal(new DateTime(2026, 1, 15, 9, 35, 0, DateTimeKind.Utc), Assert.Single(all, s => s.Id == "audit-digest").NextRunUtc); // every 5 minutes by default
        Assert.Equal(new DateTime(2026, 1, 15, 9, 45, 0, DateTimeKind.Utc), Assert.Single(all, s => s.Id == "promotion-sweep").NextRunUtc);
        Assert.Equal(new DateTime(2026, 1, 16, 3, 30, 0, DateTimeKind.Utc), Assert.Single(all, s => s.Id == "artifact-sweep").NextRunUtc); // daily at 03:30
        Assert.Equal(new DateTime(2026, 1, 15, 10, 7, 0, DateTimeKind.Utc), Assert.Single(all, s => s.Id == "telemetry-maintenance").NextRunUtc); // at minute 7 of every hour
        Assert.Equal(new DateTime(2026, 1, 15, 9, 40, 0, DateTimeKind.Utc), Assert.Single(all, s => s.Id == "production-windows").NextRunUtc); // every 10 minutes

        var tokyo = await host.As<ScheduleService>(Admin).UpdateAsync("audit-digest", new ScheduleInput("30 2 * * *", "Asia/Tokyo", MisfirePolicy.Skip, "after the batch"));

        // 02:30 on 16 January in Tokyo (UTC+9) is 17:30 UTC on the 15th.
        Assert.Equal(new DateTime(2026, 1, 15, 17, 30, 0, DateTimeKind.Utc), tokyo.NextRunUtc);
        Assert.Equal(("30 2 * * *", "Asia/Tokyo", MisfirePolicy.Skip), jobs.Registered["audit-digest"]);

        host.Time.Advance(TimeSpan.FromHours(9)); // 18:30 UTC, past today's run
        var later = await host.As<ScheduleService>(Admin).GetAsync("audit-digest");
        Assert.Equal(new DateTime(2026, 1, 16, 17, 30, 0, DateTimeKind.Utc), later.NextRunUtc);
    }

    [Fact]
    public async Task A_paused_built_in_job_has_no_next_run_and_is_removed_from_the_job_system()
    {
        var jobs = new RecordingJobs();
        await using var host = await DomainHost.StartAsync(services: s => s.AddSingleton<IRecurringJobStore>(jobs));

        var paused = await host.As<ScheduleService>(Admin).PauseAsync("promotion-sweep", "investigating");

        Assert.Equal((false, (DateTime?)null), (paused.Enabled, paused.NextRunUtc));
        Assert.DoesNotContain("promotion-sweep", jobs.Registered.Keys);
        await Assert.ThrowsAsync<ConflictException>(() => host.As<ScheduleService>(Admin).TriggerAsync("promotion-sweep", "now"));
        await Assert.ThrowsAsync<ConflictException>(() => host.As<ScheduleService>(Admin).DeleteAsync("promotion-sweep", "gone"));

        await host.As<ScheduleService>(Admin).ResumeAsync("promotion-sweep", "done");
        Assert.Equal(("*/15 * * * *", "UTC", MisfirePolicy.RunOnce), jobs.Registered["promotion-sweep"]);
    }

    [Fact]
    public async Task Only_admins_manage_schedules()
    {
        await using var host = await DomainHost.StartAsync(services: s => s.AddSingleton<IRecurringJobStore>(new RecordingJobs()));
        var scientist = new Actor("ds", "ds", new HashSet<string> { ControlPlaneRoles.DataScientist }, true);

        await Assert.ThrowsAsync<ForbiddenException>(() => host.As<ScheduleService>(scientist).ListAsync());
        await Assert.ThrowsAsync<ForbiddenException>(() => host.As<ScheduleService>(scientist).PauseAsync("audit-digest", "x"));
    }
}
