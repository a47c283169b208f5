using ControlPlane.Domain.Audit;
using ControlPlane.Domain.Persistence;
using ControlPlane.TestSupport;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace ControlPlane.Integration.Tests;

/// <summary><c>dotnet ControlPlane.Workers.dll audit verify [--digest FILE]</c> as an operator runs it.</summary>
public sealed class AuditCommandTests
{
    [Fact]
    public async Task Verify_exits_zero_on_an_intact_chain_and_names_the_first_broken_sequence_otherwise()
    {
        await using var host = await ChainAsync(8);
        var data = host.Services.GetRequiredService<DatabaseSettings>().DataDirectory;

        var intact = await VerifyAsync(data);
        Assert.Equal(0, intact.ExitCode);
        Assert.Contains("intact: 8 events", intact.Output);

        await TamperAsync(host, "UPDATE \"AuditEvents\" SET \"ActorName\" = 'mallory' WHERE \"Sequence\" = 5");
        var broken = await VerifyAsync(data);
        Assert.Equal(2, broken.ExitCode);
        Assert.Contains("BROKEN at sequence 5", broken.Output);
    }

    [Fact]
    public async Task With_a_digest_it_detects_a_truncated_tail()
    {
        await using var host = await ChainAsync(6);
        var data = host.Services.GetRequiredService<DatabaseSettings>().DataDirectory;
        var digests = host.Services.GetRequiredService<AuditDigests>();
        await digests.WriteAsync();
        await TamperAsync(host, "DELETE FROM \"AuditEvents\" WHERE \"Sequence\" > 4");

        Assert.Equal(0, (await VerifyAsync(data)).ExitCode);
        var withDigest = await VerifyAsync(data, "--digest", digests.DigestFile);
        Assert.Equal(2, withDigest.ExitCode);
        Assert.Contains("BROKEN at sequence 5", withDigest.Output);
        Assert.Contains("truncated", withDigest.Output);
    }

    [Fact]
    public async Task A_missing_digest_file_is_a_usage_error()
    {
        await using var host = await ChainAsync(1);
        var data = host.Services.GetRequiredService<DatabaseSettings>().DataDirectory;

        var result = await VerifyAsync(data, "--digest", Path.Combine(data, "nope.jsonl"));

        Assert.Equal(1, result.ExitCode);
        Assert.Contains("does not exist", result.Output);
    }

    private static Task<(int ExitCode, string Output)> VerifyAsync(string dataDirectory, params string[] extra) =>
        AppProcess.RunAsync("ControlPlane.Workers", new Dictionary<string, string> { ["ControlPlane__DataDirectory"] = dataDirectory },
            dataDirectory, TimeSpan.FromSeconds(60), ["audit", "verify", .. extra]);

    private static async Task<DomainHost> ChainAsync(int events)
    {
        var host = await DomainHost.StartAsync();
        var log = host.Services.GetRequiredService<AuditLog>();
        for (var i = 0; i < events; i++)
            await log.RecordAsync("test.event", "thing", i.ToString());
        return host;
    }

    private static async Task TamperAsync(DomainHost host, string sql)
    {
        await using var db = await host.Services.GetRequiredService<IDbContextFactory<ControlPlaneDbContext>>().CreateDbContextAsync();
        await SqliteAuditTriggers.DropAsync(db);
        await db.Database.ExecuteSqlRawAsync(sql);
    }
}
