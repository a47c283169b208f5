using ControlPlane.Domain.Artifacts;
using ControlPlane.Domain.Audit;
using ControlPlane.Domain.Common;
using ControlPlane.Domain.Datasets.Profiling;
using ControlPlane.Domain.Datasets.Reading;
using ControlPlane.Domain.Live;
using ControlPlane.Domain.Persistence;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging;

namespace ControlPlane.Domain.Datasets;

/// <summary>
/// Computes profiles: inline for small files (the caller saves it with its own change), from the profile job for
/// big ones. A job run is safe to repeat: one whose id is no longer the version's current one, or whose profile is
/// already stored, does nothing.
/// </summary>
public sealed class DatasetProfiling(
    IDbContextFactory<ControlPlaneDbContext> contexts,
    IArtifactStore store,
    TimeProvider time,
    IProgressNotifier live,
    ILogger<DatasetProfiling> logger)
{
    private static readonly TimeSpan ProgressInterval = TimeSpan.FromSeconds(1);

    public async Task RunAsync(Guid versionId, Guid runId, CancellationToken ct)
    {
        await using (var db = await contexts.CreateDbContextAsync(ct))
        {
            var version = await db.DatasetVersions.SingleOrDefaultAsync(v => v.Id == versionId, ct);
            if (version is null || version.ProfileRunId != runId || version.ProfileStatus is ProfileStatus.Ready or ProfileStatus.Failed)
            {
                logger.LogInformation("Profile run {RunId} of dataset version {VersionId} is stale or done; nothing to do", runId, versionId);
                return;
            }
            version.ProfileStatus = ProfileStatus.Running;
            version.ProfileProgress = 0;
            using (AuditAmbient.BeginAction("datasetVersion.profile_started", "datasetVersion", version.Id.ToString()))
                await db.SaveChangesAsync(ct);
        }
        live.Changed(LiveSubject.DatasetProfile(versionId));

        DatasetProfile profile;
        try
        {
            profile = await ComputeAsync(versionId, runId, ct);
        }
        catch (DataFormatException e)
        {
            // Bad data never gets better by retrying: record why and stop.
            await FinishAsync(versionId, runId, v => { v.ProfileStatus = ProfileStatus.Failed; v.ProfileError = e.Message; }, "datasetVersion.profile_failed", ct);
            return;
        }
        await FinishAsync(versionId, runId, v => SetReady(v, profile), "datasetVersion.profiled", ct);
    }

    /// <summary>Profiles a stored file under the given schema (inline callers save the result with their own change).</summary>
    public async Task<DatasetProfile> ComputeAsync(string sha256, DatasetFormat format, IReadOnlyList<DatasetColumn> schema, bool verifyHash,
        IProgress<double>? progress, CancellationToken ct)
    {
        var path = await store.GetLocalPathAsync(sha256, verifyHash, ct);
        using var reader = await TabularReader.OpenAsync(path, format, ReadLimits.Accepted, ct);
        // Columns too big to hold whole are sampled for quantiles; their exact histograms need a second pass.
        return await DatasetProfiler.ProfileAsync(reader, c => TabularReader.OpenAsync(path, format, ReadLimits.Accepted, c),
            Columns(schema), Options, progress, ct);
    }

    /// <summary>
    /// Completes the profile an upload's scan gathered (<see cref="DatasetScanner"/> with <see cref="Options"/>),
    /// reading the stored file only for columns the scan could not profile under their type in the schema.
    /// </summary>
    public async Task<DatasetProfile> ComputeAsync(string sha256, DatasetScan scan, IReadOnlyList<DatasetColumn> schema, CancellationToken ct)
    {
        var path = await store.GetLocalPathAsync(sha256, verify: false, ct);
        return await DatasetProfiler.ProfileAsync(scan, c => TabularReader.OpenAsync(path, scan.Format, ReadLimits.Accepted, c),
            Columns(schema), Options, null, ct);
    }

    /// <summary>The limits every profile is computed within.</summary>
    public static ProfileOptions Options => ProfileOptions.Default;

    private static List<ProfileColumn> Columns(IReadOnlyList<DatasetColumn> schema) =>
        [.. schema.Select(c => new ProfileColumn(c.Ordinal, c.Name, c.Type))];

    private async Task<DatasetProfile> ComputeAsync(Guid versionId, Guid runId, CancellationToken ct)
    {
        DatasetVersion version;
        await using (var db = await contexts.CreateDbContextAsync(ct))
            version = await db.DatasetVersions.AsNoTracking().SingleAsync(v => v.Id == versionId, ct);
        var progress = new ThrottledProgress(time, ProgressInterval, fraction => SaveProgressAsync(versionId, runId, fraction));
        return await ComputeAsync(version.FileSha256, version.Format, DatasetColumn.FromJson(version.Schema), verifyHash: true, progress, ct);
    }

    public void SetReady(DatasetVersion version, DatasetProfile profile)
    {
        version.ProfileStatus = ProfileStatus.Ready;
        version.Profile = DatasetProfileJson.ToJson(profile);
        version.ProfileProgress = 1;
        version.ProfileError = null;
        version.ProfiledAtUtc = time.GetUtcNow().UtcDateTime;
    }

    // Progress is bookkeeping, not a change of record: a direct update outside the audited save path.
    private async Task SaveProgressAsync(Guid versionId, Guid runId, double fraction)
    {
        await using var db = await contexts.CreateDbContextAsync();
        await db.DatasetVersions.Where(v => v.Id == versionId && v.ProfileRunId == runId)
            .ExecuteUpdateAsync(s => s.SetProperty(v => v.ProfileProgress, Math.Round(fraction, 4)));
        live.Changed(LiveSubject.DatasetProfile(versionId));
    }

    private async Task FinishAsync(Guid versionId, Guid runId, Action<DatasetVersion> apply, string action, CancellationToken ct)
    {
        await using var db = await contexts.CreateDbContextAsync(ct);
        var version = await db.DatasetVersions.SingleAsync(v => v.Id == versionId, ct);
        if (version.ProfileRunId != runId)
            return; // the schema changed meanwhile; a newer run owns the profile
        apply(version);
        using (AuditAmbient.BeginAction(action, "datasetVersion", version.Id.ToString(), version.ProfileError))
            await db.SaveChangesAsync(ct);
        live.Changed(LiveSubject.DatasetProfile(versionId));
    }
}
