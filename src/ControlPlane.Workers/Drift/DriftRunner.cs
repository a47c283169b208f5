using System.Diagnostics;
using System.Text.Json;
using ControlPlane.Domain.Artifacts;
using ControlPlane.Domain.Datasets;
using ControlPlane.Domain.Datasets.Reading;
using ControlPlane.Domain.Drift;
using ControlPlane.Workers.Drift.Statistics;

namespace ControlPlane.Workers.Drift;

/// <summary>
/// Reads the compared columns of two dataset versions and runs the statistics engine with a monitor's settings.
/// Columns default to the reference's Feature and Prediction columns that the current data also has. Wide data is
/// compared a group of columns at a time so that at most <paramref name="maxValuesPerPass"/> values are held
/// (each group is one read of the files; Parquet reads only the group's columns).
/// </summary>
public sealed class DriftRunner(IArtifactStore store, ReferenceSampleCache cache, long maxValuesPerPass = DriftRunner.DefaultMaxValuesPerPass)
{
    /// <summary>About 512 MB of doubles.</summary>
    public const long DefaultMaxValuesPerPass = 64_000_000;

    public static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web)
    {
        Converters = { new System.Text.Json.Serialization.JsonStringEnumConverter() },
        NumberHandling = System.Text.Json.Serialization.JsonNumberHandling.AllowNamedFloatingPointLiterals,
    };

    public async Task<(DatasetDriftResult Result, long Milliseconds)> CompareAsync(
        DatasetVersion reference, DatasetVersion current, DriftMonitorSettings settings, IProgress<double>? progress, CancellationToken ct)
    {
        var clock = Stopwatch.StartNew();
        var referenceSchema = DatasetColumn.FromJson(reference.Schema);
        var currentNames = DatasetColumn.FromJson(current.Schema).ToDictionary(c => c.Name, StringComparer.OrdinalIgnoreCase);
        var chosen = settings.Columns is { Count: > 0 } named
            ? referenceSchema.Where(c => named.Contains(c.Name, StringComparer.OrdinalIgnoreCase)).ToList()
            : referenceSchema.Where(c => c.Role is ColumnRole.Feature or ColumnRole.Prediction && c.Type != ColumnType.DateTime).ToList();
        var missing = chosen.Where(c => !currentNames.ContainsKey(c.Name)).Select(c => c.Name).ToList();
        if (missing.Count > 0)
            throw new DataFormatException($"The current data has no column named {string.Join(", ", missing.Select(m => $"'{m}'"))}.");
        if (chosen.Count == 0)
            throw new DataFormatException("There is no column to compare: give the monitor columns, or Feature/Prediction roles to the reference's columns.");

        var options = Options(settings);
        var groupSize = (int)Math.Clamp(maxValuesPerPass / Math.Max(reference.RowCount + current.RowCount, 1), 1, chosen.Count);
        var groups = chosen.Chunk(groupSize).Select(g => g.ToList()).ToList();
        var columns = new List<ColumnDriftResult>(chosen.Count);
        for (var g = 0; g < groups.Count; g++)
        {
            var group = groups[g];
            double Overall(double half, double p) => (g + half + p / 2) / groups.Count;
            var left = await ReferenceAsync(reference, group, p => progress?.Report(Overall(0, p)), ct);
            var right = (await ReadAsync(current, group, c => currentNames[c.Name].Ordinal, p => progress?.Report(Overall(0.5, p)), ct))
                .Select((raw, i) => raw.Numbers is { } numbers ? DriftColumnInput.Numerical(group[i].Name, numbers) : DriftColumnInput.Categorical(group[i].Name, raw.Texts!))
                .ToList();
            columns.AddRange(DriftEngine.CompareColumns(left, right, options));
        }
        return (DriftEngine.Judge(columns, options), clock.ElapsedMilliseconds);
    }

    public static DriftOptions Options(DriftMonitorSettings settings) => DriftOptions.Default with
    {
        DriftShareThreshold = settings.DriftShareThreshold,
        MinimumValues = settings.MinimumValues,
        BenjaminiHochberg = settings.BenjaminiHochberg,
        MaxHistogramCategories = settings.MaxHistogramCategories,
        Columns = (settings.Overrides ?? new Dictionary<string, ColumnDriftOverride>()).ToDictionary(
            o => o.Key, o => new ColumnDriftSettings(o.Value.Method is { } m ? MethodOf(m) : null, o.Value.Threshold), StringComparer.OrdinalIgnoreCase),
    };

    public static DriftMethod MethodOf(string name) => name.ToLowerInvariant() switch
    {
        "ks" => DriftMethod.KolmogorovSmirnov,
        "wasserstein" => DriftMethod.Wasserstein,
        "psi" => DriftMethod.Psi,
        "jensenshannon" => DriftMethod.JensenShannon,
        "chisquare" => DriftMethod.ChiSquare,
        _ => throw new DataFormatException($"Unknown drift method '{name}'."),
    };

    /// <summary>Reference columns prepared for the engine (sorted or counted, and cached), for callers that bring their own current data.</summary>
    public Task<List<DriftColumnInput>> ReferenceColumnsAsync(DatasetVersion reference, IReadOnlyList<DatasetColumn> columns, CancellationToken ct) =>
        ReferenceAsync(reference, [.. columns], _ => { }, ct);

    /// <summary>The reference columns, from the cache where a previous run prepared them; the rest are read once and cached.</summary>
    private async Task<List<DriftColumnInput>> ReferenceAsync(DatasetVersion reference, List<DatasetColumn> columns, Action<double> progress, CancellationToken ct)
    {
        ReferenceSampleCache.Key KeyOf(DatasetColumn c) => new(reference.Id, c.Name, c.Type == ColumnType.Numerical);
        var missing = columns.Where(c => !cache.TryGet(KeyOf(c), out _)).ToList();
        var read = missing.Count == 0 ? [] : await ReadAsync(reference, missing, c => c.Ordinal, progress, ct);
        return columns.Select(c =>
        {
            if (cache.TryGet(KeyOf(c), out var cached))
                return cached;
            var index = missing.IndexOf(c);
            return read[index].Numbers is { } numbers ? cache.Add(KeyOf(c), numbers, null) : cache.Add(KeyOf(c), null, read[index].Texts);
        }).ToList();
    }

    /// <summary>One column as read: numbers (NaN = missing) or texts (null = missing).</summary>
    private sealed record RawColumn(double[]? Numbers, string?[]? Texts);

    private async Task<List<RawColumn>> ReadAsync(DatasetVersion version, List<DatasetColumn> columns, Func<DatasetColumn, int> ordinal,
        Action<double> progress, CancellationToken ct)
    {
        var path = await store.GetLocalPathAsync(version.FileSha256, verify: true, ct);
        using var reader = await TabularReader.OpenAsync(path, version.Format, ReadLimits.Accepted, ct);
        var numeric = columns.Select(c => c.Type == ColumnType.Numerical).ToArray();
        var requests = columns.Select((c, i) => new ColumnRequest(ordinal(c), numeric[i] ? ColumnReadAs.Number : ColumnReadAs.Text)).ToList();
        // The row count is known from the upload scan: exact arrays, filled in place, no growth copies.
        var rows = checked((int)version.RowCount);
        var numbers = columns.Select((_, i) => numeric[i] ? new double[rows] : []).ToArray();
        var texts = columns.Select((_, i) => numeric[i] ? [] : new string?[rows]).ToArray();
        var batch = new TabularBatch(requests, 8192);
        var filled = 0;
        while (await reader.ReadAsync(batch, ct))
        {
            if (filled + batch.Count > rows)
                throw new DataFormatException($"{version.FileName} has more rows than recorded when it was uploaded; it changed on disk.");
            for (var i = 0; i < columns.Count; i++)
                if (numeric[i])
                    batch.Numbers(i).AsSpan(0, batch.Count).CopyTo(numbers[i].AsSpan(filled));
                else
                    batch.Texts(i).AsSpan(0, batch.Count).CopyTo(texts[i].AsSpan(filled));
            filled += batch.Count;
            progress(reader.Progress);
        }
        return columns.Select((_, i) => numeric[i]
            ? new RawColumn(filled == rows ? numbers[i] : numbers[i][..filled], null)
            : new RawColumn(null, filled == rows ? texts[i] : texts[i][..filled])).ToList();
    }
}
