using System.Collections.Concurrent;
using ControlPlane.Domain.Datasets;
using ControlPlane.Domain.Persistence;
using ControlPlane.Domain.Registry;
using Microsoft.EntityFrameworkCore;

namespace ControlPlane.Domain.Production.Ingest;

/// <summary>Feature schemas by version id, cached for the life of the process: versions and dataset versions never change.</summary>
public sealed class FeatureSchemas
{
    private readonly ConcurrentDictionary<Guid, FeatureSchema> _cache = new();

    /// <summary>The schemas of <paramref name="versionIds"/>, loading the ones not cached in one query.</summary>
    public async Task<IReadOnlyDictionary<Guid, FeatureSchema>> GetAsync(ControlPlaneDbContext db, IReadOnlyCollection<Guid> versionIds, CancellationToken ct)
    {
        var result = new Dictionary<Guid, FeatureSchema>();
        var missing = new List<Guid>();
        foreach (var id in versionIds)
        {
            if (_cache.TryGetValue(id, out var schema))
                result[id] = schema;
            else
                missing.Add(id);
        }
        if (missing.Count == 0)
            return result;
        var rows = await db.Versions.AsNoTracking().Where(v => missing.Contains(v.Id))
            .Select(v => new { v.Id, v.Signature, Dataset = v.TrainingDatasetVersionId == null ? null : db.DatasetVersions.Where(d => d.Id == v.TrainingDatasetVersionId).Select(d => d.Schema).FirstOrDefault() })
            .ToListAsync(ct);
        foreach (var row in rows)
        {
            var schema = row.Dataset is { } columns
                ? FeatureSchema.FromDataset(DatasetColumn.FromJson(columns))
                : FeatureSchema.FromSignature(ModelSignature.FromJson(row.Signature));
            result[row.Id] = _cache.GetOrAdd(row.Id, schema);
        }
        return result;
    }
}
