using ControlPlane.Domain.Audit;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace ControlPlane.Workers.Cli;

/// <summary>
/// <c>audit verify [--digest FILE]</c>: exit 0 when the chain is intact, 2 with the first broken sequence
/// number otherwise, 1 on usage or input errors.
/// </summary>
public static class AuditCommand
{
    public static bool Matches(string[] args) => args is ["audit", ..];

    public static async Task<int> RunAsync(IHost host, string[] args, TextWriter output)
    {
        if (args is not ["audit", "verify", .. var rest])
        {
            await output.WriteLineAsync("usage: audit verify [--digest FILE]");
            return 1;
        }
        string? digestPath = null;
        for (var i = 0; i < rest.Length; i++)
        {
            if (rest[i] == "--digest" && i + 1 < rest.Length)
                digestPath = rest[++i];
            else
            {
                await output.WriteLineAsync($"unknown argument '{rest[i]}'\nusage: audit verify [--digest FILE]");
                return 1;
            }
        }
        IReadOnlyList<AuditDigestEntry>? digests = null;
        if (digestPath is not null)
        {
            try
            {
                digests = await AuditDigests.ReadAsync(digestPath);
            }
            catch (Exception e) when (e is FileNotFoundException or InvalidDataException)
            {
                await output.WriteLineAsync(e.Message);
                return 1;
            }
        }
        var result = await host.Services.GetRequiredService<AuditVerifier>().VerifyAsync(digests);
        if (result.Intact)
        {
            await output.WriteLineAsync($"intact: {result.EventsChecked} events, head {result.LastSequence} {result.LastHash}" +
                (digests is null ? "" : $", {digests.Count} digest entries matched"));
            return 0;
        }
        await output.WriteLineAsync($"BROKEN at sequence {result.FirstBrokenSequence}: {result.Problem}");
        return 2;
    }
}
