using ControlPlane.Domain.Production;
using ControlPlane.Workers.Drift.Statistics;
using C = ControlPlane.Domain.Production.TelemetryColumns;

namespace ControlPlane.Workers.Production;

/// <summary>The reference side of a window's drift: prepared inputs by telemetry feature name, and what could not be compared.</summary>
public sealed record ReferenceColumns(IReadOnlyDictionary<string, DriftColumnInput> Inputs, IReadOnlyList<string> Warnings);

/// <summary>A computed window: what is stored, and the sample the next window compares itself with.</summary>
public sealed record ComputedWindow(ProductionWindowResult Result, long Labelled, WindowSample? Sample);

/// <summary>
/// What one window's calculation read from DuckDB and the database (see <see cref="WindowCalculator.ReadAsync"/>); a run
/// reads the next window while <see cref="WindowCalculator.Compute"/> works on this one.
/// </summary>
public sealed record WindowReading(WindowAggregates Figures, IReadOnlyList<ServedSlice> Served, List<TelemetryFeature> Watched, WindowSample Sample,
    ReferenceColumns? Reference, IReadOnlyList<LabelledRow> Labelled, IReadOnlyList<string> Warnings);

/// <summary>Turns one window's telemetry into its stored figures, objectives and breaches.</summary>
public static class WindowCalculator
{
    public delegate Task<ReferenceColumns?> ReferenceSource(IReadOnlyList<ServedSlice> served, IReadOnlyList<TelemetryFeature> features, CancellationToken ct);

    /// <summary>Everything the window's figures need from its telemetry and the reference, in memory; null when it had no segment.</summary>
    public static async Task<WindowReading?> ReadAsync(WindowTelemetry? telemetry, ProductionMonitorSettings settings, WindowComputeOptions options,
        ReferenceSource reference, CancellationToken ct)
    {
        if (telemetry is null)
            return null;
        var warnings = new List<string>();
        var figures = await telemetry.AggregatesAsync(settings.ScoreThreshold, ct);
        var served = await telemetry.ServedAsync(ct);
        var watched = Watched(settings, telemetry.Features, warnings);
        var sample = await telemetry.SampleAsync(watched, OutputColumn(figures), figures.Predictions, options.SampleRows, ct);
        if (sample.Sampled)
            warnings.Add($"Drift compares a sample of {sample.Rows:N0} of the window's {figures.Predictions:N0} predictions.");
        // Against the reference: the features it has, by the reference's column names.
        var referenceColumns = figures.Predictions == 0 ? null : await reference(served, watched, ct);
        if (referenceColumns is null)
            warnings.Add("No reference: drift against the reference is not computed.");
        else
            warnings.AddRange(referenceColumns.Warnings);
        var labelled = figures.Labelled > 0 ? await telemetry.LabelledAsync(figures.Labelled, options.LabelledRows, ct) : [];
        return new WindowReading(figures, served, watched, sample, referenceColumns, labelled, warnings);
    }

    /// <summary>The window's statistics from what <see cref="ReadAsync"/> read: CPU alone, no database.</summary>
    /// <param name="reading">null: no prediction segment in the window.</param>
    /// <param name="previous">The previous window's sample, null when it had no data.</param>
    public static ComputedWindow Compute(WindowReading? reading, ProductionMonitorSettings settings, WindowSample? previous)
    {
        if (reading is null)
            return new ComputedWindow(Judged(settings, new ProductionWindowResult { Warnings = ["No predictions in the window."] }, null, null), 0, null);
        var (figures, served, watched, sample, referenceColumns, labelled, readWarnings) = reading;
        var warnings = readWarnings.ToList();
        DriftComparisons? drift = null;
        RealisedPerformance? realised = null;
        Parallel.Invoke(
            () => drift = Drift(watched, sample, referenceColumns, previous, WindowDrift.Options(settings)),
            () => realised = figures.Labelled > 0 ? RealisedMetrics.Compute(labelled, figures.Predictions, figures.Labelled, settings.ScoreThreshold) : null);
        if (figures.Labelled > 0 && figures.Labelled < settings.MinLabelled)
            warnings.Add($"Only {figures.Labelled} labelled predictions (fewer than {settings.MinLabelled}): performance is shown, not judged.");
        var (vsReference, referenceIndex, vsPrevious, previousIndex, outputDrift) = drift!;

        var features = watched.Select(f => new FeatureWindow(f.Name, f.Numerical ? "numerical" : "categorical", figures.Predictions,
            figures.Predictions == 0 ? 0 : (double)figures.Missing[f.Name] / figures.Predictions,
            referenceIndex.TryGetValue(f.Name, out var r) ? WindowDrift.Figure(vsReference!.Columns[r]) : null,
            previousIndex.TryGetValue(f.Name, out var p) ? WindowDrift.Figure(vsPrevious!.Columns[p]) : null)).ToList();

        var estimates = Cbpe.Estimate(figures.Cbpe);
        var estimated = estimates.FirstOrDefault(e => e.Metric == settings.PerformanceMetric) ?? estimates.FirstOrDefault();

        var result = new ProductionWindowResult
        {
            Predictions = figures.Predictions,
            Errors = figures.Errors,
            ErrorRate = figures.Predictions == 0 ? null : (double)figures.Errors / figures.Predictions,
            Latency = figures.LatencyCount == 0 ? null
                : new LatencyFigures(figures.LatencyCount, figures.LatencyMean!.Value, figures.LatencyP50!.Value, figures.LatencyP95!.Value, figures.LatencyP99!.Value),
            Served = served,
            Features = features,
            Drifted = vsReference?.DatasetDrift,
            OutputVsPrevious = outputDrift,
            Realised = realised,
            Estimated = estimated,
            Warnings = warnings,
        };
        return new ComputedWindow(Judged(settings, result, vsReference?.DatasetDrift, vsReference?.DriftShare), figures.Labelled, sample);
    }

    /// <summary>The window's sample against the reference and against the previous window, features and output.</summary>
    private sealed record DriftComparisons(DatasetDriftResult? VsReference, Dictionary<string, int> ReferenceIndex, DatasetDriftResult? VsPrevious,
        Dictionary<string, int> PreviousIndex, DriftFigure? Output);

    private static DriftComparisons Drift(List<TelemetryFeature> watched, WindowSample sample, ReferenceColumns? referenceColumns, WindowSample? previous, DriftOptions options)
    {
        DatasetDriftResult? vsReference = null;
        var referenceIndex = new Dictionary<string, int>(StringComparer.Ordinal);
        var pairs = referenceColumns is null ? [] : watched.Where(f => referenceColumns.Inputs.ContainsKey(f.Name)).ToList();
        if (pairs.Count > 0)
        {
            vsReference = DriftEngine.Compare(pairs.Select(f => referenceColumns!.Inputs[f.Name]).ToList(), pairs.Select(sample.InputOf).ToList(), options);
            for (var i = 0; i < pairs.Count; i++)
                referenceIndex[pairs[i].Name] = i;
        }

        // Against the previous window: the features both have, of the same kind.
        DatasetDriftResult? vsPrevious = null;
        var previousIndex = new Dictionary<string, int>(StringComparer.Ordinal);
        var shared = previous is null ? [] : watched.Where(f => previous.Features.Contains(f)).ToList();
        if (shared.Count > 0)
        {
            vsPrevious = DriftEngine.Compare(shared.Select(previous!.InputOf).ToList(), shared.Select(sample.InputOf).ToList(), options);
            for (var i = 0; i < shared.Count; i++)
                previousIndex[shared[i].Name] = i;
        }
        DriftFigure? output = null;
        if (previous?.OutputInput() is { } before && sample.OutputInput() is { } now && before.Kind == now.Kind && before.Name == now.Name)
            output = WindowDrift.Figure(DriftEngine.Compare([before], [now], options).Columns[0]);
        return new DriftComparisons(vsReference, referenceIndex, vsPrevious, previousIndex, output);
    }

    private static ProductionWindowResult Judged(ProductionMonitorSettings settings, ProductionWindowResult result, bool? drifted, double? share)
    {
        var objectives = WindowObjectives.Judge(settings, result, drifted, share);
        return result with { Objectives = objectives, Breaches = WindowObjectives.Breaches(objectives) };
    }

    /// <summary>The output compared with the previous window: the score, else the regression value, else the predicted label.</summary>
    internal static string? OutputColumn(WindowAggregates figures) =>
        figures.Scored > 0 ? C.Score : figures.Valued > 0 ? C.Value : figures.Labels > 0 ? C.Label : null;

    internal static List<TelemetryFeature> Watched(ProductionMonitorSettings settings, IReadOnlyList<TelemetryFeature> present, List<string> warnings)
    {
        if (settings.Features.Count == 0)
            return [.. present.OrderBy(f => f.Name, StringComparer.Ordinal)];
        var byName = present.ToDictionary(f => f.Name, StringComparer.OrdinalIgnoreCase);
        var absent = settings.Features.Where(f => !byName.ContainsKey(f)).ToList();
        if (absent.Count > 0)
            warnings.Add($"Not logged in this window: {string.Join(", ", absent)}.");
        return [.. settings.Features.Where(byName.ContainsKey).Select(f => byName[f]).Distinct()];
    }
}
