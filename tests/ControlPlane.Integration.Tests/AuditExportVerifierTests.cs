using System.Diagnostics;
using System.Text.Json;
using System.Text.Json.Nodes;
using ControlPlane.Domain.Audit;
using ControlPlane.Domain.Common;
using ControlPlane.Domain.Identity;
using ControlPlane.TestSupport;
using Microsoft.Extensions.DependencyInjection;

namespace ControlPlane.Integration.Tests;

/// <summary>
/// The tamper matrix against <c>scripts/verify-audit-export.py</c>, as an auditor runs it: a whole JSON Lines
/// export, the signed digest file and the public key, nothing else.
/// </summary>
public sealed class AuditExportVerifierTests : IAsyncLifetime
{
    private DomainHost _host = null!;
    private string _directory = null!;
    private string[] _export = null!;
    private string[] _digests = null!;
    private string _key = null!;

    public async Task InitializeAsync()
    {
        _host = await DomainHost.StartAsync();
        var log = _host.Services.GetRequiredService<AuditLog>();
        var digests = _host.Services.GetRequiredService<AuditDigests>();
        for (var i = 1; i <= 6; i++)
        {
            await log.RecordAsync("test.event", "thing", i.ToString(), reason: $"reason {i}");
            if (i % 3 == 0)
                await digests.WriteAsync();
        }
        _directory = Path.Combine(_host.Services.GetRequiredService<ControlPlane.Domain.Persistence.DatabaseSettings>().DataDirectory, "auditor");
        Directory.CreateDirectory(_directory);
        await using (var writer = new StringWriter())
        {
            var admin = new Actor("admin-id", "admin", new HashSet<string> { ControlPlaneRoles.Admin }, true);
            await _host.As<AuditTrail>(admin).ExportAsync(new AuditFilter(null, null, null, null, null, null), AuditExportFormat.JsonLines, writer);
            _export = writer.ToString().Split('\n', StringSplitOptions.RemoveEmptyEntries);
        }
        _digests = await File.ReadAllLinesAsync(digests.DigestFile);
        _key = digests.Signer.PublicKeyPem;
    }

    public async Task DisposeAsync() => await _host.DisposeAsync();

    [Fact]
    public async Task An_untouched_export_is_intact_and_anchored_through_its_own_export_event()
    {
        var (code, output) = await VerifyAsync(_export, _digests);

        Assert.True(code == 0, output);
        Assert.Contains($"intact: {_export.Length} events", output);
        Assert.Contains($"anchored through event {_export.Length}", output);
    }

    public static TheoryData<string> Tampered => new()
    {
        "deleted line", "swapped lines", "edited line with its own hash fixed and the next dropped", "edited line with every later hash recomputed",
        "cut before the digest", "duplicated line", "first lines dropped", "forged sequence -5", "replayed older export",
        "digest deleted from the middle", "digest edited", "digest unsigned", "digest signed with another key", "garbage line",
    };

    [Theory]
    [MemberData(nameof(Tampered))]
    public async Task A_tampered_export_or_digest_file_is_broken(string tamper)
    {
        var export = _export.ToList();
        var digests = _digests.ToList();
        var key = _key;
        switch (tamper)
        {
            case "deleted line": export.RemoveAt(3); break;
            case "swapped lines": (export[2], export[3]) = (export[3], export[2]); break;
            case "edited line with its own hash fixed and the next dropped":
                export[3] = Rehash(Edit(export[3], "reason", "nothing happened"));
                export.RemoveAt(4);
                break;
            case "edited line with every later hash recomputed":
                export[3] = Edit(export[3], "reason", "nothing happened");
                RehashFrom(export, 3);
                break;
            case "cut before the digest": export.RemoveRange(export.Count - 2, 2); break;
            case "duplicated line": export.Insert(4, export[4]); break;
            case "first lines dropped": export.RemoveRange(0, 2); break;
            case "forged sequence -5": export.Insert(2, Rehash(Edit(export[2], "sequence", -5))); break;
            case "replayed older export": export.RemoveRange(export.Count - 3, 3); break;
            case "digest deleted from the middle": digests.RemoveAt(0); break;
            case "digest edited": digests[0] = Edit(digests[0], "hash", new string('0', 64)); break;
            case "digest unsigned": digests[0] = Remove(digests[0], "signature"); break;
            case "digest signed with another key":
                using (var other = System.Security.Cryptography.ECDsa.Create(System.Security.Cryptography.ECCurve.NamedCurves.nistP256))
                    key = other.ExportSubjectPublicKeyInfoPem();
                break;
            case "garbage line": export.Insert(3, "{\"sequence\": 4"); break;
            default: throw new ArgumentException(tamper);
        }

        var (code, output) = await VerifyAsync(export, digests, key);

        Assert.True(code == 2, $"{tamper}: exit {code}: {output}");
        Assert.StartsWith("BROKEN", output);
    }

    [Fact]
    public async Task Without_digests_an_export_is_at_best_unanchored()
    {
        var (code, output) = await RunAsync(await WriteAsync("audit.jsonl", _export), "--no-digest");

        Assert.Equal(3, code);
        Assert.StartsWith("UNANCHORED", output);
    }

    [Fact]
    public async Task A_digest_older_than_the_freshness_limit_is_unanchored()
    {
        // The test host's clock stands in January 2026: its digests are months old by the wall clock.
        var (code, output) = await VerifyAsync(_export, _digests, _key, "--fresh-within", "10");

        Assert.Equal(3, code);
        Assert.Contains("older than 10 minutes", output);
    }

    private async Task<(int, string)> VerifyAsync(IEnumerable<string> export, IEnumerable<string> digests, string? key = null, params string[] extra) =>
        await RunAsync(await WriteAsync("audit.jsonl", export),
            ["--digest", await WriteAsync("digests.jsonl", digests), "--public-key", await WriteAsync("key.pem", [key ?? _key]), .. extra]);

    private async Task<string> WriteAsync(string name, IEnumerable<string> lines)
    {
        var path = Path.Combine(_directory, $"{Guid.NewGuid():N}-{name}");
        await File.WriteAllTextAsync(path, string.Join('\n', lines) + "\n");
        return path;
    }

    private static async Task<(int, string)> RunAsync(string export, params string[] args)
    {
        var start = new ProcessStartInfo("python3") { RedirectStandardOutput = true, RedirectStandardError = true };
        start.ArgumentList.Add(Path.Combine(RepoPaths.Root, "scripts", "verify-audit-export.py"));
        start.ArgumentList.Add(export);
        foreach (var a in args)
            start.ArgumentList.Add(a);
        using var process = Process.Start(start)!;
        var output = await process.StandardOutput.ReadToEndAsync();
        var error = await process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        return (process.ExitCode, (output + error).Trim());
    }

    private static string Edit(string line, string field, JsonNode? value)
    {
        var node = JsonNode.Parse(line)!.AsObject();
        node[field] = value;
        return node.ToJsonString(new JsonSerializerOptions { Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping });
    }

    private static string Remove(string line, string field)
    {
        var node = JsonNode.Parse(line)!.AsObject();
        node.Remove(field);
        return node.ToJsonString();
    }

    /// <summary>What anyone can do with the documented canonical form: recompute an event's plain hash.</summary>
    private static string Rehash(string line)
    {
        var r = JsonDocument.Parse(line).RootElement;
        string? S(string name) => r.TryGetProperty(name, out var p) && p.ValueKind != JsonValueKind.Null ? p.GetString() : null;
        var canonical = AuditChain.Canonicalize(r.GetProperty("sequence").GetInt64(),
            DateTime.Parse(S("occurredAt")!, null, System.Globalization.DateTimeStyles.AdjustToUniversal),
            S("actorId"), S("actorName")!, S("action")!, S("entityType"), S("entityId"), r.GetProperty("changes").GetRawText(),
            S("reason"), S("correlationId"), S("clientIp"), S("keyId"), S("callerCorrelationId"));
        return Edit(line, "hash", AuditChain.ComputeHash(canonical, S("previousHash")!));
    }

    private static void RehashFrom(List<string> export, int index)
    {
        for (var i = index; i < export.Count; i++)
        {
            if (i > index)
                export[i] = Edit(export[i], "previousHash", JsonDocument.Parse(export[i - 1]).RootElement.GetProperty("hash").GetString());
            export[i] = Rehash(export[i]);
        }
    }
}
