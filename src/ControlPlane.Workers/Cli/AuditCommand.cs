using ControlPlane.Domain.Audit;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;

namespace ControlPlane.Workers.Cli;

/// <summary>
/// <c>audit verify [--digest FILE | --no-digest]</c>: checks the chain against the configured signed digests
/// (or FILE); exit 0 when intact, 2 with the first broken sequence, 3 when unanchored, 1 on usage errors.
/// <c>audit public-key</c> prints the digest verification key; <c>audit new-key ID</c> writes a new chain key.
/// </summary>
public static class AuditCommand
{
    private const string Usage = "usage: audit verify [--digest FILE | --no-digest] | audit public-key | audit new-key ID";

    public static bool Matches(string[] args) => args is ["audit", ..];

    public static async Task<int> RunAsync(IHost host, string[] args, TextWriter output)
    {
        switch (args)
        {
            case ["audit", "public-key"]:
                await output.WriteAsync(host.Services.GetRequiredService<AuditDigestSigner>().PublicKeyPem);
                return 0;
            case ["audit", "new-key", var id]:
                return await NewKeyAsync(host, id, output);
            case ["audit", "verify", .. var rest]:
                return await VerifyAsync(host, rest, output);
            default:
                await output.WriteLineAsync(Usage);
                return 1;
        }
    }

    private static async Task<int> VerifyAsync(IHost host, string[] rest, TextWriter output)
    {
        var digests = host.Services.GetRequiredService<AuditDigests>();
        string? digestPath = digests.DigestFile;
        for (var i = 0; i < rest.Length; i++)
        {
            if (rest[i] == "--digest" && i + 1 < rest.Length)
                digestPath = rest[++i];
            else if (rest[i] == "--no-digest")
                digestPath = null;
            else
            {
                await output.WriteLineAsync($"unknown argument '{rest[i]}'\n{Usage}");
                return 1;
            }
        }
        var anchors = digestPath is null ? null : await digests.LoadAsync(digestPath);
        var result = await host.Services.GetRequiredService<AuditVerifier>().VerifyAsync(anchors);
        switch (result.State)
        {
            case AuditVerification.IntactState:
                await output.WriteLineAsync($"intact: {result.EventsChecked} events, head {result.LastSequence} {result.LastHash}, " +
                    $"{anchors!.Entries.Count} signed digests matched, anchored at {result.AnchoredSequence}");
                return 0;
            case AuditVerification.UnanchoredState:
                await output.WriteLineAsync($"UNANCHORED: {result.EventsChecked} events chain correctly, but {result.Problem}");
                return 3;
            default:
                await output.WriteLineAsync($"BROKEN at sequence {result.FirstBrokenSequence?.ToString() ?? "(digest file)"}: {result.Problem}");
                return 2;
        }
    }

    private static async Task<int> NewKeyAsync(IHost host, string id, TextWriter output)
    {
        var directory = host.Services.GetRequiredService<AuditKeyRing>().Directory;
        try
        {
            AuditKeyRing.Create(directory, id);
        }
        catch (ArgumentException e)
        {
            await output.WriteLineAsync(e.Message);
            return 1;
        }
        var configured = host.Services.GetRequiredService<IOptions<AuditOptions>>().Value.ActiveKeyId;
        await output.WriteLineAsync($"wrote {Path.Combine(directory, id + AuditKeyRing.Extension)}; " +
            (string.IsNullOrWhiteSpace(configured) ? "it becomes active at the next start if its id sorts last" : $"set ControlPlane:Audit:ActiveKeyId={id} and restart") +
            "; the change is recorded as audit.key_rotated. Keep every old key: events keyed with it verify only while it is present.");
        return 0;
    }
}
