using System.Diagnostics;
using System.Net;
using System.Net.Http.Json;
using ControlPlane.Domain.Audit;
using ControlPlane.TestSupport;
using Xunit.Abstractions;

namespace ControlPlane.Integration.Tests;

/// <summary>
/// The database server stopped under a running web process and started again: while it is down requests fail fast
/// with 503 and Retry-After (readiness too) and nothing is half-written; once it is back the same process serves and
/// writes again without a restart, and the audit chain verifies.
/// </summary>
[Collection(AloneCollection.Name)]
public sealed class PostgresRestartTests(ITestOutputHelper output)
{
    private const string AdminToken = "cpat_restart-tests-admin-token-0123456789abcd";

    [Fact]
    public async Task Requests_fail_fast_with_503_while_PostgreSQL_is_down_and_succeed_again_once_it_is_back()
    {
        using var cluster = new PostgresCluster();
        await using var web = await WebAppProcess.StartAsync(AdminToken,
            ("Database__Provider", "PostgreSql"), ("ConnectionStrings__ControlPlane", cluster.ConnectionString), ("Workers__InProcess", "false"));
        using var api = web.Admin();
        Assert.Equal(HttpStatusCode.Created, (await api.PostAsJsonAsync("/api/v1/models", new { name = "before-restart" })).StatusCode);

        cluster.Stop();
        var clock = Stopwatch.StartNew();
        var read = await api.GetAsync("/api/v1/models");
        var write = await api.PostAsJsonAsync("/api/v1/models", new { name = "while-down" });
        var ready = await api.GetAsync("/health/ready");
        output.WriteLine($"three requests with the database down answered in {clock.ElapsedMilliseconds} ms");
        Assert.Equal(HttpStatusCode.ServiceUnavailable, read.StatusCode);
        Assert.Equal("application/problem+json", read.Content.Headers.ContentType?.MediaType);
        Assert.Equal(TimeSpan.FromSeconds(5), read.Headers.RetryAfter?.Delta);
        Assert.Equal(HttpStatusCode.ServiceUnavailable, write.StatusCode);
        Assert.Equal(HttpStatusCode.ServiceUnavailable, ready.StatusCode);
        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(15), $"took {clock.Elapsed}"); // fails fast: not the 30 s command timeout

        cluster.Start();
        await Eventually.GetAsync(async () => (await api.GetAsync("/api/v1/models")).StatusCode == HttpStatusCode.OK ? "back" : null,
            TimeSpan.FromSeconds(60), "the same web process to serve again");
        Assert.Equal(HttpStatusCode.Created, (await api.PostAsJsonAsync("/api/v1/models", new { name = "after-restart" })).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await api.GetAsync("/api/v1/models/while-down")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await api.PostAsync("/api/v1/audit/digests", null)).StatusCode);
        var verification = await (await api.PostAsync("/api/v1/audit/verify", null)).Content.ReadFromJsonAsync<AuditVerification>(ApiCalls.Json);
        Assert.True(verification!.Intact, verification.Problem);
        Assert.False(web.App.HasExited);
    }
}
