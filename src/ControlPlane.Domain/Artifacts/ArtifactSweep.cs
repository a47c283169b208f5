using System.Globalization;
using ControlPlane.Domain.Audit;
using ControlPlane.Domain.Persistence;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace ControlPlane.Domain.Artifacts;

/// <summary>What one sweep found unreferenced past the grace period, and removed unless it only reported.</summary>
public sealed record ArtifactSweepResult(int Count, long Bytes, bool ReportOnly);

/// <summary>
/// Removes stored artifacts that no row references and that nobody published within the grace period: what failed
/// uploads and crashed processes left between publishing a file and committing its row. Each run is one audit event.
/// </summary>
public sealed class ArtifactSweep(IArtifactStore store, IDbContextFactory<ControlPlaneDbContext> contexts, AuditLog audit,
    IOptions<ArtifactOptions> options, TimeProvider time)
{
    public const string Action = "artifact.swept";
    private const int Batch = 500;

    public async Task<ArtifactSweepResult> RunAsync(CancellationToken ct = default)
    {
        var settings = options.Value.Sweep;
        var cutoff = time.GetUtcNow().UtcDateTime - settings.GracePeriod;
        var swept = new List<StoredArtifact>();
        var old = new List<StoredArtifact>();
        await foreach (var artifact in store.ListAsync(ct))
        {
            if (artifact.LastPublishedUtc >= cutoff)
                continue;
            old.Add(artifact);
            if (old.Count < Batch)
                continue;
            swept.AddRange(await SweepAsync(old, settings.ReportOnly, ct));
            old.Clear();
        }
        swept.AddRange(await SweepAsync(old, settings.ReportOnly, ct));
        var (count, bytes) = (swept.Count, swept.Sum(a => a.Size));

        static string Text(object value) => Convert.ToString(value, CultureInfo.InvariantCulture)!;
        var provider = options.Value.Provider;
        await audit.RecordAsync(Action, "artifactStore", provider,
            reason: settings.ReportOnly ? "Report only: nothing was removed." : null,
            details:
            [
                new("artifactStore", provider, "unreferencedCount", null, Text(count)),
                new("artifactStore", provider, "unreferencedBytes", null, Text(bytes)),
                new("artifactStore", provider, "gracePeriod", null, Text(settings.GracePeriod)),
            ], ct: ct);
        return new ArtifactSweepResult(count, bytes, settings.ReportOnly);
    }

    private async Task<List<StoredArtifact>> SweepAsync(IReadOnlyList<StoredArtifact> old, bool reportOnly, CancellationToken ct)
    {
        var swept = new List<StoredArtifact>();
        if (old.Count == 0)
            return swept;
        HashSet<string> referenced;
        await using (var db = await contexts.CreateDbContextAsync(ct))
            referenced = await ArtifactReferences.AmongAsync(db, [.. old.Select(a => a.Sha256)], ct);
        foreach (var artifact in old.Where(a => !referenced.Contains(a.Sha256)))
        {
            // The removal is conditional: an upload that published the same bytes since the listing renewed them.
            if (reportOnly || await store.RemoveIfUnchangedAsync(artifact, ct))
                swept.Add(artifact);
        }
        return swept;
    }
}
