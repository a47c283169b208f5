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
    public async Task Verify_uses_the_configured_signed_digests_and_names_the_first_broken_sequence()
    {
        await using var host = await ChainAsync(8);
        var data = host.Services.GetRequiredService<DatabaseSettings>().DataDirectory;
        await host.Services.GetRequiredService<AuditDigests>().WriteAsync();

        var intact = await VerifyAsync(data);
        Assert.Equal(0, intact.ExitCode);
        Assert.Contains("intact: 10 events", intact.Output);
        Assert.Contains("anchored at 10", intact.Output);

        await TamperAsync(host, "UPDATE \"AuditEvents\" SET \"ActorName\" = 'mallory' WHERE \"Sequence\" = 5");
        var broken = await VerifyAsync(data);
        Assert.Equal(2, broken.ExitCode);
        Assert.Contains("BROKEN at sequence 5", broken.Output);
    }

    [Fact]
    public async Task Without_a_digest_the_trail_is_unanchored_not_intact()
    {
        await using var host = await ChainAsync(3);
        var data = host.Services.GetRequiredService<DatabaseSettings>().DataDirectory;

        var missing = await VerifyAsync(data);
        var skipped = await VerifyAsync(data, "--no-digest");

        Assert.Equal(3, missing.ExitCode);
        Assert.Contains("UNANCHORED", missing.Output);
        Assert.Contains("no digest file", missing.Output);
        Assert.Equal(3, skipped.ExitCode);
    }

    [Fact]
    public async Task A_truncated_tail_is_found_with_the_configured_digests()
    {
        await using var host = await ChainAsync(6);
        var data = host.Services.GetRequiredService<DatabaseSettings>().DataDirectory;
        await host.Services.GetRequiredService<AuditDigests>().WriteAsync();
        await TamperAsync(host, "DELETE FROM \"AuditEvents\" WHERE \"Sequence\" > 4");

        var result = await VerifyAsync(data);

        Assert.Equal(2, result.ExitCode);
        Assert.Contains("BROKEN at sequence 5", result.Output);
        Assert.Contains("truncated", result.Output);
    }

    [Fact]
    public async Task A_malformed_digest_line_is_a_finding_not_a_crash()
    {
        await using var host = await ChainAsync(1);
        var data = host.Services.GetRequiredService<DatabaseSettings>().DataDirectory;
        var digests = host.Services.GetRequiredService<AuditDigests>();
        await digests.WriteAsync();
        await File.AppendAllTextAsync(digests.DigestFile, "{\"sequence\":\n");

        var result = await VerifyAsync(data);

        Assert.Equal(2, result.ExitCode);
        Assert.Contains("Digest line 2", result.Output);
    }

    [Fact]
    public async Task Public_key_prints_the_digest_verification_key()
    {
        await using var host = await ChainAsync(1);
        var data = host.Services.GetRequiredService<DatabaseSettings>().DataDirectory;

        var result = await AppProcess.RunAsync("ControlPlane.Workers", new Dictionary<string, string> { ["ControlPlane__DataDirectory"] = data },
            data, TimeSpan.FromSeconds(60), ["audit", "public-key"]);

        Assert.Equal(0, result.ExitCode);
        Assert.Equal(host.Services.GetRequiredService<AuditDigestSigner>().PublicKeyPem.Trim(), result.Output.Trim());
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
