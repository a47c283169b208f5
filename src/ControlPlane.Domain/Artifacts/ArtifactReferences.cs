using System.Text.Json;
using ControlPlane.Domain.Persistence;
using Microsoft.EntityFrameworkCore;

namespace ControlPlane.Domain.Artifacts;

/// <summary>Which stored artifacts a row points at: dataset files, model artifacts and ONNX exports.</summary>
internal static class ArtifactReferences
{
    private const int QueryBatch = 500;
    private const string OnnxParameter = "onnxSha256";

    public static async Task<HashSet<string>> AmongAsync(ControlPlaneDbContext db, IReadOnlyCollection<string> hashes, CancellationToken ct)
    {
        var referenced = new HashSet<string>(StringComparer.Ordinal);
        foreach (var batch in hashes.Chunk(QueryBatch))
        {
            referenced.UnionWith(await db.DatasetVersions.Where(v => batch.Contains(v.FileSha256)).Select(v => v.FileSha256).ToListAsync(ct));
            referenced.UnionWith(await db.Versions.Where(v => batch.Contains(v.ArtifactSha256)).Select(v => v.ArtifactSha256).ToListAsync(ct));
            referenced.UnionWith(await db.TrainingRuns.Where(r => r.OnnxSha256 != null && batch.Contains(r.OnnxSha256)).Select(r => r.OnnxSha256!).ToListAsync(ct));
        }
        // A trained version names its ONNX export in its parameters, which commit before the run records the export.
        var wanted = hashes.ToHashSet(StringComparer.Ordinal);
        var withOnnx = db.Versions.AsNoTracking().Where(v => v.Parameters.Contains(OnnxParameter)).Select(v => v.Parameters).AsAsyncEnumerable();
        await foreach (var parameters in withOnnx.WithCancellation(ct))
        {
            if (JsonSerializer.Deserialize<Dictionary<string, string>>(parameters)?.GetValueOrDefault(OnnxParameter) is { } onnx && wanted.Contains(onnx))
                referenced.Add(onnx);
        }
        return referenced;
    }
}
