using System.Globalization;
using ControlPlane.Domain.Artifacts;
using ControlPlane.Domain.Datasets;
using ControlPlane.Domain.Persistence;
using ControlPlane.Workers.Evaluation;
using ControlPlane.Workers.Evaluation.Engine;
using ControlPlane.Workers.Evaluation.MlNet;
using Microsoft.EntityFrameworkCore;

namespace ControlPlane.Workers.Demo;

/// <summary>One application as the serving app logged it: what it sent the model, what the model said, and the truth learned later.</summary>
public sealed record DemoPrediction(string Id, DateTime TimestampUtc, IReadOnlyDictionary<string, object?> Features, double Score, bool Defaulted, double LatencyMs, string? Error);

/// <summary>
/// Months of credit-risk traffic as its serving app would see it: each month's applications (the drifting population of
/// <see cref="CreditApplications"/>) scored by the real model version, on the engine evaluations use, spread over the
/// days of that month up to yesterday. Deterministic per seed.
/// </summary>
public sealed class DemoTraffic(IArtifactStore store, IDbContextFactory<ControlPlaneDbContext> contexts, OnnxExportCache exports)
{
    public const int DaysPerMonth = 30;

    public async Task<IReadOnlyList<DemoPrediction>> ScoreAsync(string model, int version, int months, int perDay, DateTime todayUtc, int seed, CancellationToken ct)
    {
        var (flavor, artifact, schema) = await VersionAsync(model, version, ct);
        var modelPath = await store.GetLocalPathAsync(artifact, verify: true, ct);
        var random = new Random(seed);
        var predictions = new List<DemoPrediction>(months * DaysPerMonth * perDay);
        var firstDay = todayUtc.Date.AddDays(-months * DaysPerMonth);
        for (var month = 1; month <= months; month++)
        {
            var csv = CreditApplications.Csv(month, DaysPerMonth * perDay, seed + month);
            var path = Path.Combine(Path.GetTempPath(), $"controlplane-demo-traffic-{Guid.NewGuid():N}.csv");
            await File.WriteAllTextAsync(path, csv, ct);
            try
            {
                var sink = new ScoreSink();
                var input = new EvaluationInput(modelPath, path, DatasetFormat.Csv, schema, CreditApplications.Label);
                await new ModelScorer(exports).RunAsync(flavor, artifact, input, sink, null, ct);
                var rows = csv.Split('\n', StringSplitOptions.RemoveEmptyEntries);
                var header = rows[0].Split(',');
                for (var i = 1; i < rows.Length; i++)
                {
                    var cells = rows[i].Split(',');
                    var day = firstDay.AddDays((month - 1) * DaysPerMonth + (i - 1) / perDay);
                    var at = day.AddSeconds(random.Next(0, 86_400));
                    predictions.Add(new DemoPrediction($"app-{cells[0]}", at, Features(header, cells), sink.Scores[i - 1],
                        cells[^1] == "true", Math.Round(4 + 6 * -Math.Log(1 - random.NextDouble()), 2), random.NextDouble() < 0.002 ? "upstream timeout" : null));
                }
            }
            finally
            {
                File.Delete(path);
            }
        }
        return predictions;
    }

    private static Dictionary<string, object?> Features(string[] header, string[] cells)
    {
        var features = new Dictionary<string, object?>(StringComparer.Ordinal);
        for (var c = 0; c < header.Length; c++)
        {
            if (CreditApplications.Numeric.Contains(header[c]))
                features[header[c]] = double.Parse(cells[c], CultureInfo.InvariantCulture);
            else if (header[c] == CreditApplications.Channel)
                features[header[c]] = cells[c];
        }
        return features;
    }

    private async Task<(Domain.Registry.ModelFlavor, string, IReadOnlyList<DatasetColumn>)> VersionAsync(string model, int number, CancellationToken ct)
    {
        await using var db = await contexts.CreateDbContextAsync(ct);
        var version = await db.Versions.AsNoTracking().SingleAsync(v => v.Model!.Name == model && v.Number == number, ct);
        var training = await db.DatasetVersions.AsNoTracking().SingleAsync(d => d.Id == version.TrainingDatasetVersionId, ct);
        return (version.Flavor, version.ArtifactSha256, DatasetSchemas.WithLabel(DatasetColumn.FromJson(training.Schema), CreditApplications.Label));
    }

    /// <summary>The positive class's probability of each row, in row order.</summary>
    private sealed class ScoreSink : IPredictionSink
    {
        public List<double> Scores { get; } = [];

        public void OnBatch(PredictionBatch batch)
        {
            foreach (var score in batch.PositiveScores)
                Scores.Add(score);
        }
    }
}
