using ControlPlane.Domain.Artifacts;
using ControlPlane.Domain.Audit;
using ControlPlane.Domain.Common;
using ControlPlane.Domain.Datasets.Profiling;
using ControlPlane.Domain.Datasets.Reading;
using ControlPlane.Domain.Identity;
using ControlPlane.Domain.Jobs;
using ControlPlane.Domain.Persistence;
using ControlPlane.Domain.Registry;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace ControlPlane.Domain.Datasets;

/// <summary>Datasets and their immutable versions. Data scientists and admins write; every role reads.</summary>
public sealed class DatasetCatalog(
    IDbContextFactory<ControlPlaneDbContext> contexts,
    IArtifactStore store,
    ArtifactRollback rollback,
    IOptions<DatasetOptions> options,
    DatasetProfiling profiling,
    IJobScheduler jobs,
    AuditLog audit,
    IActorContext actor,
    TimeProvider time,
    Hosting.MemoryTrimmer trimmer)
{
    private static readonly string[] Writers = [ControlPlaneRoles.DataScientist, ControlPlaneRoles.Admin];
    private static readonly string[] Readers = [.. ControlPlaneRoles.All];

    /// <summary>For callers that must refuse before reading a request body (uploads).</summary>
    public void EnsureCanWrite() => actor.Current.RequireAnyRole(Writers);

    public async Task<DatasetDetail> CreateAsync(string name, string? description, IReadOnlyDictionary<string, string>? tags, CancellationToken ct = default)
    {
        actor.Current.RequireAnyRole(Writers);
        var valid = RegistryRules.ResourceName(name, "dataset");
        var now = time.GetUtcNow().UtcDateTime;
        var dataset = new Dataset
        {
            Id = Guid.CreateVersion7(), Name = valid, NormalizedName = valid.ToUpperInvariant(),
            Description = RegistryRules.Text(description, 4000, "description"), Owner = actor.Current.Name,
            CreatedAtUtc = now, UpdatedAtUtc = now, ConcurrencyStamp = Guid.NewGuid(),
        };
        dataset.Tags.AddRange(RegistryRules.Tags(tags).Select(t => new DatasetTag { Key = t.Key, Value = t.Value }));
        await using var db = await contexts.CreateDbContextAsync(ct);
        if (await db.Datasets.AnyAsync(d => d.NormalizedName == dataset.NormalizedName, ct))
            throw new ConflictException($"A dataset named '{valid}' already exists.");
        db.Datasets.Add(dataset);
        try
        {
            using (AuditAmbient.BeginAction("dataset.created", "dataset", dataset.Id.ToString()))
                await db.SaveChangesAsync(ct);
        }
        catch (DbUpdateException)
        {
            await using var check = await contexts.CreateDbContextAsync(ct);
            if (await check.Datasets.AnyAsync(d => d.NormalizedName == dataset.NormalizedName, ct))
                throw new ConflictException($"A dataset named '{valid}' already exists.");
            throw;
        }
        return await GetAsync(valid, ct);
    }

    public async Task<Page<DatasetSummary>> ListAsync(PageRequest page, CancellationToken ct = default)
    {
        actor.Current.RequireAnyRole(Readers);
        await using var db = await contexts.CreateDbContextAsync(ct);
        var query = db.Datasets.AsNoTracking().Search(page);
        var total = await query.CountAsync(ct);
        var rows = await query.Sort(page).Skip(page.Skip).Take(page.Take).ToListAsync(ct);
        var ids = rows.Select(d => d.Id).ToList();
        var tags = (await db.DatasetTags.AsNoTracking().Where(t => ids.Contains(t.DatasetId)).ToListAsync(ct)).ToLookup(t => t.DatasetId);
        var latest = await db.DatasetVersions.AsNoTracking()
            .Where(v => ids.Contains(v.DatasetId) && v.Number == v.Dataset!.LatestVersionNumber)
            .ToDictionaryAsync(v => v.DatasetId, v => v.RowCount, ct);
        return new Page<DatasetSummary>(rows.Select(d => new DatasetSummary(
            d.Name, d.Description, d.Owner, tags[d.Id].ToDictionary(t => t.Key, t => t.Value), d.LatestVersionNumber,
            latest.TryGetValue(d.Id, out var n) ? n : null, d.CreatedAtUtc, d.UpdatedAtUtc)).ToList(), total);
    }

    public async Task<DatasetDetail> GetAsync(string name, CancellationToken ct = default)
    {
        actor.Current.RequireAnyRole(Readers);
        await using var db = await contexts.CreateDbContextAsync(ct);
        var d = await FindAsync(db.Datasets.AsNoTracking().Include(x => x.Tags), name, ct);
        return new DatasetDetail(d.Id, d.Name, d.Description, d.Owner, d.Tags.ToDictionary(t => t.Key, t => t.Value), d.LatestVersionNumber, d.CreatedAtUtc, d.UpdatedAtUtc);
    }

    /// <summary>Replaces the description and/or the tags (null leaves a part as it is).</summary>
    public async Task<DatasetDetail> UpdateAsync(string name, string? description, IReadOnlyDictionary<string, string>? tags, CancellationToken ct = default)
    {
        actor.Current.RequireAnyRole(Writers);
        await using var db = await contexts.CreateDbContextAsync(ct);
        var dataset = await FindAsync(db.Datasets.Include(d => d.Tags), name, ct);
        if (description is not null)
            dataset.Description = RegistryRules.Text(description, 4000, "description");
        if (tags is not null)
        {
            var (remove, add) = TagChanges.Between(dataset.Tags, t => t.Key, t => t.Value, RegistryRules.Tags(tags));
            db.DatasetTags.RemoveRange(remove);
            db.DatasetTags.AddRange(add.Select(t => new DatasetTag { DatasetId = dataset.Id, Key = t.Key, Value = t.Value }));
        }
        dataset.UpdatedAtUtc = time.GetUtcNow().UtcDateTime;
        dataset.ConcurrencyStamp = Guid.NewGuid();
        using (AuditAmbient.BeginAction("dataset.updated", "dataset", dataset.Id.ToString()))
            await db.SaveChangesAsync(ct);
        return await GetAsync(dataset.Name, ct);
    }

    /// <summary>Receives an upload into the staging area while hashing it (size limit from <see cref="DatasetOptions"/>).</summary>
    public async Task<StagedArtifact> StageUploadAsync(Stream file, CancellationToken ct = default)
    {
        actor.Current.RequireAnyRole(Writers);
        return await store.StageAsync(file, options.Value.MaxUploadBytes, ct);
    }

    public async Task<DatasetVersionView> AddVersionAsync(string name, Stream file, string? fileName, IReadOnlyList<ColumnSchemaChange>? schema, string? sourceNote, CancellationToken ct = default)
    {
        await using var staged = await StageUploadAsync(file, ct);
        return await AddVersionAsync(name, staged, fileName, schema, sourceNote, ct);
    }

    /// <summary>
    /// Validates the whole staged file (a malformed row anywhere rejects it and nothing is stored), infers the
    /// schema, applies the caller's overrides, publishes the file under its hash and commits the next version.
    /// Small files are profiled before returning; big ones by a background job.
    /// </summary>
    public async Task<DatasetVersionView> AddVersionAsync(string name, StagedArtifact staged, string? fileName, IReadOnlyList<ColumnSchemaChange>? schema, string? sourceNote, CancellationToken ct = default)
    {
        actor.Current.RequireAnyRole(Writers);
        var note = RegistryRules.Text(sourceNote, 1000, "sourceNote");
        Guid datasetId;
        await using (var db = await contexts.CreateDbContextAsync(ct))
            datasetId = (await FindAsync(db.Datasets.AsNoTracking(), name, ct)).Id;

        var limits = new ReadLimits(options.Value.MaxColumns, options.Value.MaxRows, options.Value.MaxRowGroupRows);
        using var trim = trimmer.CheckWhenDone(); // a wide file read in memory leaves up to hundreds of MiB behind
        // A small file is profiled in the scan's pass; the profile only rereads it for what the scan could not do.
        var profileInline = Inline(await DecodedSizeAsync(staged.Path, staged.Size, limits, ct));
        var scan = await DatasetScanner.ScanAsync(staged.Path, limits, profileInline ? DatasetProfiling.Options : null, null, ct);
        var columns = DatasetSchemas.Apply(DatasetSchemas.FromScan(scan), schema, guesses: true);
        await using var published = rollback.Pending(await store.PublishAsync(staged, ct));
        var inline = profileInline ? await profiling.ComputeAsync(staged.Sha256, scan, columns, ct) : null;

        DatasetVersion version;
        await using (var db = await contexts.CreateDbContextAsync(ct))
        {
            // Taking the audit head lock before reading the latest number makes numbering race-free on every provider.
            await using var tx = await db.Database.BeginTransactionAsync(ct);
            await AuditHeadLock.AcquireAsync(db, ct);
            var dataset = await db.Datasets.SingleAsync(d => d.Id == datasetId, ct);
            var now = time.GetUtcNow().UtcDateTime;
            dataset.LatestVersionNumber++;
            dataset.UpdatedAtUtc = now;
            dataset.ConcurrencyStamp = Guid.NewGuid();
            var extension = scan.Format == DatasetFormat.Parquet ? "parquet" : "csv";
            version = new DatasetVersion
            {
                Id = Guid.CreateVersion7(), DatasetId = datasetId, Number = dataset.LatestVersionNumber, Format = scan.Format,
                FileSha256 = staged.Sha256, SizeBytes = staged.Size,
                FileName = RegistryRules.FileName(fileName) ?? $"{dataset.Name}-v{dataset.LatestVersionNumber}.{extension}",
                RowCount = scan.RowCount, SourceNote = note, Schema = DatasetColumn.ToJson(columns),
                ProfileStatus = ProfileStatus.Pending, ProfileRunId = Guid.NewGuid(),
                CreatedBy = actor.Current.Name, CreatedAtUtc = now, ConcurrencyStamp = Guid.NewGuid(),
            };
            if (inline is not null)
                profiling.SetReady(version, inline);
            db.DatasetVersions.Add(version);
            using (AuditAmbient.BeginAction("datasetVersion.added", "datasetVersion", version.Id.ToString()))
                await db.SaveChangesAsync(ct);
            await tx.CommitAsync(ct);
            published.Committed();
        }
        if (inline is null)
            jobs.EnqueueDatasetProfile(version.Id, version.ProfileRunId);
        return await GetVersionAsync(name, version.Number, ct);
    }

    public async Task<Page<DatasetVersionView>> ListVersionsAsync(string name, PageRequest page, CancellationToken ct = default)
    {
        actor.Current.RequireAnyRole(Readers);
        await using var db = await contexts.CreateDbContextAsync(ct);
        var dataset = await FindAsync(db.Datasets.AsNoTracking(), name, ct);
        var query = db.DatasetVersions.AsNoTracking().Where(v => v.DatasetId == dataset.Id);
        var total = await query.CountAsync(ct);
        // Lists carry the schema but not the profile (which can be large).
        var rows = await (page.Descending || page.SortBy is null ? query.OrderByDescending(v => v.Number) : query.OrderBy(v => v.Number))
            .Skip(page.Skip).Take(page.Take)
            .Select(v => new DatasetVersion
            {
                Id = v.Id, DatasetId = v.DatasetId, Number = v.Number, Format = v.Format, FileSha256 = v.FileSha256, SizeBytes = v.SizeBytes,
                FileName = v.FileName, RowCount = v.RowCount, SourceNote = v.SourceNote, Schema = v.Schema, ProfileStatus = v.ProfileStatus,
                ProfileProgress = v.ProfileProgress, ProfileError = v.ProfileError, CreatedBy = v.CreatedBy, CreatedAtUtc = v.CreatedAtUtc,
            })
            .ToListAsync(ct);
        return new Page<DatasetVersionView>(rows.Select(v => View(dataset, v, withProfile: false)).ToList(), total);
    }

    public async Task<DatasetVersionView> GetVersionAsync(string name, int number, CancellationToken ct = default)
    {
        actor.Current.RequireAnyRole(Readers);
        await using var db = await contexts.CreateDbContextAsync(ct);
        var dataset = await FindAsync(db.Datasets.AsNoTracking(), name, ct);
        return View(dataset, await FindVersionAsync(db.DatasetVersions.AsNoTracking(), dataset, number, ct), withProfile: true);
    }

    /// <summary>Changes column types and/or roles; a type change recomputes the profile (inline for small files, else by a job).</summary>
    public async Task<DatasetVersionView> UpdateSchemaAsync(string name, int number, IReadOnlyList<ColumnSchemaChange> changes, CancellationToken ct = default)
    {
        actor.Current.RequireAnyRole(Writers);
        await using var db = await contexts.CreateDbContextAsync(ct);
        var dataset = await FindAsync(db.Datasets.AsNoTracking(), name, ct);
        var version = await FindVersionAsync(db.DatasetVersions, dataset, number, ct);
        var before = DatasetColumn.FromJson(version.Schema);
        var after = DatasetSchemas.Apply(before, changes);
        if (after.SequenceEqual(before))
            return View(dataset, version, withProfile: true);
        var reprofile = after.Zip(before).Any(p => p.First.Type != p.Second.Type);
        version.Schema = DatasetColumn.ToJson(after);
        version.ConcurrencyStamp = Guid.NewGuid();
        if (reprofile)
        {
            version.ProfileRunId = Guid.NewGuid();
            if (Inline(DecodedSize(version.Format, version.SizeBytes, version.RowCount, after.Count)))
                profiling.SetReady(version, await profiling.ComputeAsync(version.FileSha256, version.Format, after, verifyHash: true, null, ct));
            else
            {
                version.ProfileStatus = ProfileStatus.Pending;
                version.ProfileProgress = 0;
                version.ProfileError = null;
            }
        }
        try
        {
            using (AuditAmbient.BeginAction("datasetVersion.schema_changed", "datasetVersion", version.Id.ToString()))
                await db.SaveChangesAsync(ct);
        }
        catch (DbUpdateConcurrencyException)
        {
            throw new ConflictException($"Version {number} of '{dataset.Name}' was changed by someone else; reload and try again.");
        }
        if (reprofile && version.ProfileStatus == ProfileStatus.Pending)
            jobs.EnqueueDatasetProfile(version.Id, version.ProfileRunId);
        return View(dataset, version, withProfile: true);
    }

    /// <summary>The first rows as text, for a quick look (columns in file order).</summary>
    public async Task<DatasetPreview> PreviewAsync(string name, int number, int rows, CancellationToken ct = default)
    {
        actor.Current.RequireAnyRole(Readers);
        var take = Math.Clamp(rows, 1, options.Value.MaxPreviewRows);
        DatasetVersion version;
        await using (var db = await contexts.CreateDbContextAsync(ct))
            version = await FindVersionAsync(db.DatasetVersions.AsNoTracking(), await FindAsync(db.Datasets.AsNoTracking(), name, ct), number, ct);
        var path = await store.GetLocalPathAsync(version.FileSha256, verify: false, ct);
        using var reader = await TabularReader.OpenAsync(path, version.Format, ReadLimits.Accepted, CsvBlockOptions.InOrder, ct);
        var requests = Enumerable.Range(0, reader.ColumnNames.Count).Select(i => new ColumnRequest(i, ColumnReadAs.Text)).ToList();
        var batch = new TabularBatch(requests, take);
        var result = new List<IReadOnlyList<string?>>();
        if (await reader.ReadAsync(batch, ct))
            for (var r = 0; r < batch.Count; r++)
                result.Add(Enumerable.Range(0, requests.Count).Select(c => StoredText.CutWithLength(batch.Texts(c)[r])).ToArray());
        // Rows of data were shown, as with a download: who looked at which data is on the record.
        await audit.RecordAsync(AuditActions.DatasetPreviewed, "datasetVersion", version.Id.ToString(), reason: $"{name} v{number}: first {result.Count} rows", ct: ct);
        return new DatasetPreview(reader.ColumnNames, result);
    }

    /// <summary>Opens the file for download (hash checked while it is read); the download is audited.</summary>
    public async Task<DatasetDownload> OpenFileAsync(string name, int number, CancellationToken ct = default)
    {
        var version = await GetVersionAsync(name, number, ct);
        await audit.RecordAsync(AuditActions.DatasetDownloaded, "datasetVersion", version.Id.ToString(), reason: $"{version.Dataset} v{number} ({version.Sha256})", ct: ct);
        return new DatasetDownload(await store.OpenReadAsync(version.Sha256, ct), version.Sha256, version.Size, version.FileName, version.Format);
    }

    /// <summary>Can this dataset version feed that model version? Missing columns and type mismatches are errors.</summary>
    public async Task<CompatibilityReport> CheckCompatibilityAsync(string name, int number, string model, int modelVersion, CancellationToken ct = default)
    {
        actor.Current.RequireAnyRole(Readers);
        await using var db = await contexts.CreateDbContextAsync(ct);
        var version = await FindVersionAsync(db.DatasetVersions.AsNoTracking(), await FindAsync(db.Datasets.AsNoTracking(), name, ct), number, ct);
        var registered = await ModelRegistry.FindModelAsync(db.Models.AsNoTracking(), model, ct);
        var target = await ModelRegistry.FindVersionAsync(db.Versions.AsNoTracking(), registered, modelVersion, ct);
        return DatasetCompatibility.Check(DatasetColumn.FromJson(version.Schema), ModelSignature.FromJson(target.Signature));
    }

    private bool Inline(long decodedSize) => decodedSize <= options.Value.InlineProfileMaxBytes;

    /// <summary>
    /// What reading a file takes, for the inline-or-job choice: a CSV's size, but for Parquet at least 8 bytes a cell,
    /// since its size on disk says little (50 million equal values compress to 2 KB). Parquet's footer is read here,
    /// so its limits (row groups included) are checked before anything else reads it.
    /// </summary>
    private static async Task<long> DecodedSizeAsync(string path, long size, ReadLimits limits, CancellationToken ct)
    {
        var format = DatasetFormats.Detect(path);
        if (format != DatasetFormat.Parquet)
            return size;
        using var footer = await TabularReader.OpenAsync(path, format, limits, ct);
        return DecodedSize(format, size, footer.RowCount ?? 0, footer.ColumnNames.Count);
    }

    private static long DecodedSize(DatasetFormat format, long size, long rows, int columns) =>
        format == DatasetFormat.Parquet ? Math.Max(size, rows * columns * 8) : size;

    internal static async Task<Dataset> FindAsync(IQueryable<Dataset> datasets, string name, CancellationToken ct)
    {
        var normalized = (name ?? "").Trim().ToUpperInvariant();
        return await datasets.SingleOrDefaultAsync(d => d.NormalizedName == normalized, ct)
            ?? throw new NotFoundException($"Dataset '{name}' does not exist.");
    }

    internal static async Task<DatasetVersion> FindVersionAsync(IQueryable<DatasetVersion> versions, Dataset dataset, int number, CancellationToken ct) =>
        await versions.SingleOrDefaultAsync(v => v.DatasetId == dataset.Id && v.Number == number, ct)
            ?? throw new NotFoundException($"Dataset '{dataset.Name}' has no version {number}.");

    private static DatasetVersionView View(Dataset dataset, DatasetVersion v, bool withProfile) => new(
        v.Id, dataset.Name, v.Number, v.Format, v.FileSha256, v.SizeBytes, v.FileName, v.RowCount, v.SourceNote,
        DatasetColumn.FromJson(v.Schema), v.ProfileStatus, v.ProfileProgress, v.ProfileError,
        withProfile && v.Profile is not null ? DatasetProfileJson.FromJson(v.Profile) : null, v.CreatedBy, v.CreatedAtUtc);
}
