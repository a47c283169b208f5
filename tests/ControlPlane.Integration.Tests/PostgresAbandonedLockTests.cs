using System.Diagnostics;
using ControlPlane.TestSupport;
using Npgsql;
using Xunit.Abstractions;

namespace ControlPlane.Integration.Tests;

/// <summary>
/// Hangfire's locks on PostgreSQL are rows. A worker killed while it changes a job's state (it holds the job's lock for
/// those milliseconds) leaves the row behind, and Hangfire.PostgreSql counts it as abandoned only after its
/// DistributedLockTimeout, 10 minutes unless set: the chaos test once saw a profile stay Pending for its whole 6-minute
/// wait. Here the rows such a kill leaves are written up front for the next jobs; the job still runs once
/// <c>Workers:LockTimeout</c> has passed.
/// </summary>
public sealed class PostgresAbandonedLockTests(ITestOutputHelper output)
{
    private const string AdminToken = "cpat_abandoned-lock-admin-token-0123456789ab";
    private const int LockedJobIds = 50;

    [Fact]
    public async Task A_state_lock_left_by_a_killed_worker_delays_its_job_only_until_the_lock_timeout()
    {
        var connectionString = await PostgresServer.CreateDatabaseAsync();
        using var data = new TempDirectory("cp-abandoned-lock");
        var url = $"http://127.0.0.1:{FreePort.Next()}";
        await using var web = AppProcess.Start("ControlPlane.Web", new Dictionary<string, string>
        {
            ["ASPNETCORE_URLS"] = url,
            ["ASPNETCORE_ENVIRONMENT"] = "Production",
            ["Database__Provider"] = "PostgreSql",
            ["ConnectionStrings__ControlPlane"] = connectionString,
            ["ControlPlane__DataDirectory"] = data.Path,
            ["Workers__QueuePollInterval"] = "00:00:00.500",
            ["Workers__LockTimeout"] = "00:00:05",
            ["ControlPlane__Datasets__InlineProfileMaxBytes"] = "1", // the profile is a job
            ["ControlPlane__Bootstrap__AdminEmail"] = "admin@example.test",
            ["ControlPlane__Bootstrap__AdminPassword"] = "correct horse battery",
            ["ControlPlane__Bootstrap__AdminApiToken"] = AdminToken,
        }, data.Path);
        await Readiness.WaitAsync(url, web);
        using var api = ApiCalls.Client(url, AdminToken);
        await api.SendJsonAsync(HttpMethod.Post, "/api/v1/datasets", new { name = "locked" });

        await using var db = new NpgsqlConnection(connectionString);
        await db.OpenAsync();
        var firstLocked = await ScalarAsync<long>(db, "SELECT coalesce(max(id), 0) + 1 FROM hangfire.job");
        await ExecuteAsync(db, $"""
            INSERT INTO hangfire.lock (resource, acquired)
            SELECT 'hangfire:job:' || i || ':state-lock', now() AT TIME ZONE 'utc' FROM generate_series({firstLocked}, {firstLocked + LockedJobIds - 1}) AS i
            """);
        var clock = Stopwatch.StartNew();
        await api.AddTrainingVersionAsync("locked", 0, 2_000);
        await Eventually.GetAsync(async () => (await api.GetJsonAsync("/api/v1/datasets/locked/versions/1"))["profileStatus"]!.GetValue<string>() == "Ready" ? "" : null,
            TimeSpan.FromSeconds(90), "the profile behind an abandoned lock");
        output.WriteLine($"profile ready {clock.Elapsed.TotalSeconds:0.0} s after the upload");

        var profileJob = await ScalarAsync<long>(db, "SELECT id FROM hangfire.job WHERE invocationdata::text LIKE '%DatasetProfileJob%'");
        Assert.InRange(profileJob, firstLocked, firstLocked + LockedJobIds - 1);
        // The row left for it was taken over: the job really waited on an abandoned lock.
        Assert.Equal(0, await ScalarAsync<long>(db, $"SELECT count(*) FROM hangfire.lock WHERE resource = 'hangfire:job:{profileJob}:state-lock'"));
    }

    private static async Task<T> ScalarAsync<T>(NpgsqlConnection db, string sql)
    {
        await using var command = new NpgsqlCommand(sql, db);
        return (T)(await command.ExecuteScalarAsync())!;
    }

    private static async Task ExecuteAsync(NpgsqlConnection db, string sql)
    {
        await using var command = new NpgsqlCommand(sql, db);
        await command.ExecuteNonQueryAsync();
    }
}
