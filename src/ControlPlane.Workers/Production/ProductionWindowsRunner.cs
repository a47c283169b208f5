using ControlPlane.Domain.Audit;
using ControlPlane.Domain.Datasets;
using ControlPlane.Domain.Jobs;
using ControlPlane.Domain.Live;
using ControlPlane.Domain.Persistence;
using ControlPlane.Domain.Production;
using ControlPlane.Domain.Registry;
using ControlPlane.Domain.Training;
using ControlPlane.Workers.Drift;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace ControlPlane.Workers.Production;

/// <summary>
/// Computes one production monitor's windows: every closed window since the last one computed (on the first run, from
/// the model's first prediction segment, at most the retention period back), and every computed window whose inputs
/// stamp differs now (late predictions, late or corrected actuals, an edited definition). A recompute replaces the window's row;
/// unchanged inputs are not read again, so a second run changes nothing.
/// </summary>
public sealed class ProductionWindowsRunner(
    IDbContextFactory<ControlPlaneDbContext> contexts,
    ITelemetryStore store,
    DriftRunner drift,
    ProductionAlerts alerts,
    IJobScheduler jobs,
    TrainingService training,
    IOptions<ProductionOptions> production,
    IOptions<WindowComputeOptions> options,
    TimeProvider time,
    IProgressNotifier live,
    ILogger<ProductionWindowsRunner> logger)
{
    /// <summary>Returns how many windows were computed or recomputed.</summary>
    public async Task<int> RunAsync(Guid monitorId, CancellationToken ct)
    {
        var o = options.Value;
        ProductionMonitor monitor;
        List<SegmentRef> segments;
        Dictionary<DateTime, string> stored;
        List<WindowInputs> due;
        IReadOnlyList<int>? stageVersions = null;
        var now = time.GetUtcNow().UtcDateTime;
        await using (var db = await contexts.CreateDbContextAsync(ct))
        {
            var found = await db.ProductionMonitors.AsNoTracking().Include(m => m.Model).SingleOrDefaultAsync(m => m.Id == monitorId, ct);
            if (found is null || !found.Enabled)
                return 0;
            monitor = found;
            var earliest = Floor(now - TimeSpan.FromDays(monitor.Model!.TelemetryRetentionDays ?? production.Value.DefaultRetentionDays), monitor.WindowSize);
            segments = await db.TelemetrySegments.AsNoTracking()
                .Where(s => s.ModelId == monitor.ModelId && s.CompactedIntoId == null && s.HourUtc >= earliest - o.ActualsBefore)
                .Select(s => new SegmentRef(s.Id, s.Kind, s.HourUtc, s.Rows, s.Path)).ToListAsync(ct);
            stored = await db.ProductionWindows.AsNoTracking().Where(w => w.MonitorId == monitorId && w.StartUtc >= earliest)
                .ToDictionaryAsync(w => w.StartUtc, w => w.InputsStamp, ct);
            if (monitor.Target == ProductionTarget.Stage)
            {
                var stage = Enum.TryParse<LifecycleStage>(monitor.TargetValue, ignoreCase: true, out var s) && Enum.IsDefined(s)
                    ? s : throw new InvalidOperationException($"Production monitor {monitor.Id} watches the unknown stage '{monitor.TargetValue}'.");
                stageVersions = await db.Versions.Where(v => v.ModelId == monitor.ModelId && v.Stage == stage).Select(v => v.Number).ToListAsync(ct);
            }
            due = Due(monitor, segments, stored, earliest, Floor(now, monitor.WindowSize));
        }
        if (due.Count == 0)
            return 0;
        var filter = Filter(monitor, stageVersions);
        var settings = ProductionMonitorSettings.FromJson(monitor.Settings);
        WindowSample? previous = null;
        var previousStart = DateTime.MinValue;
        await using var session = await WindowSession.OpenAsync(o.DuckDbMemoryLimit, ct);
        // Each window's statistics (CPU alone) compute while DuckDB reads the next window; windows are saved in order.
        (WindowInputs Inputs, Task<ComputedWindow> Computing)? pending = null;
        foreach (var inputs in due)
        {
            ct.ThrowIfCancellationRequested();
            var size = inputs.EndUtc - inputs.StartUtc;
            if (previousStart != inputs.StartUtc - size)
                previous = await SampleAsync(session, WindowInputs.Of(segments, inputs.StartUtc - size, inputs.StartUtc, o.ActualsBefore, o.ActualsAfter), settings, filter, ct);
            WindowReading? reading;
            await using (var telemetry = await OpenAsync(session, inputs, filter, ct))
                reading = await WindowCalculator.ReadAsync(telemetry, settings, o, (served, features, c) => ReferenceAsync(monitor, served, features, c), ct);
            if (pending is { } saving)
                await SaveAsync(monitor, saving.Inputs, await saving.Computing, now, ct);
            var before = previous;
            pending = (inputs, Task.Run(() => WindowCalculator.Compute(reading, settings, before), ct));
            (previous, previousStart) = (reading?.Sample, inputs.StartUtc);
        }
        if (pending is { } last)
            await SaveAsync(monitor, last.Inputs, await last.Computing, now, ct);
        live.Changed(LiveSubject.Notifications);
        return due.Count;
    }

    /// <summary>New closed windows after the last stored one, and stored windows whose stamp is stale; in time order.</summary>
    private List<WindowInputs> Due(ProductionMonitor monitor, List<SegmentRef> segments, Dictionary<DateTime, string> stored, DateTime earliest, DateTime closedEnd)
    {
        var o = options.Value;
        var firstPrediction = segments.Where(s => s.Kind == TelemetryKind.Predictions).Select(s => (DateTime?)s.HourUtc).Min();
        DateTime? from = stored.Count > 0 ? Next(stored.Keys.Max(), monitor.WindowSize) : firstPrediction is { } f ? Floor(f, monitor.WindowSize) : null;
        var due = new List<WindowInputs>();
        var definition = WindowDefinition.Of(monitor);
        if (from is { } start)
            for (var s = start < earliest ? earliest : start; s < closedEnd; s = Next(s, monitor.WindowSize))
                due.Add(WindowInputs.Of(segments, s, Next(s, monitor.WindowSize), o.ActualsBefore, o.ActualsAfter));
        foreach (var (s, stamp) in stored)
        {
            var inputs = WindowInputs.Of(segments, s, Next(s, monitor.WindowSize), o.ActualsBefore, o.ActualsAfter);
            if (inputs.Stamp(definition) != stamp)
                due.Add(inputs);
        }
        return [.. due.OrderBy(w => w.StartUtc)];
    }

    /// <summary>The previous window's sample, for drift against it when that window is not computed in this run.</summary>
    private async Task<WindowSample?> SampleAsync(WindowSession session, WindowInputs inputs, ProductionMonitorSettings settings, TelemetryFilter filter, CancellationToken ct)
    {
        await using var telemetry = await OpenAsync(session, inputs, filter, ct);
        if (telemetry is null)
            return null;
        var figures = await telemetry.AggregatesAsync(settings.ScoreThreshold, ct);
        return figures.Predictions == 0 ? null
            : await telemetry.SampleAsync(WindowCalculator.Watched(settings, telemetry.Features, []), WindowCalculator.OutputColumn(figures),
                figures.Predictions, options.Value.SampleRows, ct);
    }

    private async Task<WindowTelemetry?> OpenAsync(WindowSession session, WindowInputs inputs, TelemetryFilter filter, CancellationToken ct)
    {
        if (inputs.Predictions.Count == 0)
            return null;
        var predictions = new List<string>();
        foreach (var s in inputs.Predictions)
            predictions.Add(await store.GetLocalPathAsync(s.Path, ct));
        var actuals = new List<string>();
        foreach (var s in inputs.Actuals)
            actuals.Add(await store.GetLocalPathAsync(s.Path, ct));
        return await session.WindowAsync(predictions, actuals, filter, ct);
    }

    /// <summary>The monitor's reference dataset, else the training dataset of the version that served most of the window.</summary>
    private async Task<ReferenceColumns?> ReferenceAsync(ProductionMonitor monitor, IReadOnlyList<ServedSlice> served, IReadOnlyList<TelemetryFeature> features, CancellationToken ct)
    {
        await using var db = await contexts.CreateDbContextAsync(ct);
        var referenceId = monitor.ReferenceDatasetVersionId;
        if (referenceId is null && served.Count > 0)
        {
            var busiest = served.GroupBy(s => s.Version).OrderByDescending(g => g.Sum(s => s.Rows)).ThenByDescending(g => g.Key).First().Key;
            referenceId = await db.Versions.Where(v => v.ModelId == monitor.ModelId && v.Number == busiest).Select(v => v.TrainingDatasetVersionId).SingleOrDefaultAsync(ct);
        }
        if (referenceId is null)
            return null;
        var reference = await db.DatasetVersions.AsNoTracking().SingleAsync(v => v.Id == referenceId, ct);
        var schema = DatasetColumn.FromJson(reference.Schema).ToDictionary(c => c.Name, StringComparer.OrdinalIgnoreCase);
        var warnings = new List<string>();
        var chosen = new List<(TelemetryFeature Feature, DatasetColumn Column)>();
        foreach (var feature in features)
        {
            if (!schema.TryGetValue(feature.Name, out var column) || column.Type == ColumnType.DateTime)
                warnings.Add($"'{feature.Name}' is not a comparable column of the reference.");
            else if ((column.Type == ColumnType.Numerical) != feature.Numerical)
                warnings.Add($"'{feature.Name}' is {(feature.Numerical ? "numerical" : "categorical")} in the traffic but {column.Type} in the reference.");
            else
                chosen.Add((feature, column));
        }
        var inputs = chosen.Count == 0 ? [] : await drift.ReferenceColumnsAsync(reference, chosen.Select(c => c.Column).ToList(), ct);
        return new ReferenceColumns(chosen.Select((c, i) => (c.Feature.Name, Input: inputs[i])).ToDictionary(p => p.Name, p => p.Input, StringComparer.Ordinal), warnings);
    }

    /// <summary>Replaces the window's row and raises alerts for breaches it did not have before, in one save; then queues webhooks and any retraining.</summary>
    private async Task SaveAsync(ProductionMonitor snapshot, WindowInputs inputs, ComputedWindow computed, DateTime now, CancellationToken ct)
    {
        var result = computed.Result;
        IReadOnlyList<Domain.Webhooks.WebhookDelivery> deliveries;
        await using (var db = await contexts.CreateDbContextAsync(ct))
        {
            var monitor = await db.ProductionMonitors.SingleAsync(m => m.Id == snapshot.Id, ct);
            var window = await db.ProductionWindows.SingleOrDefaultAsync(w => w.MonitorId == monitor.Id && w.StartUtc == inputs.StartUtc, ct);
            var before = window?.Breaches.Split(',', StringSplitOptions.RemoveEmptyEntries) ?? [];
            if (window is null)
            {
                window = new ProductionWindow { Id = Guid.CreateVersion7(), MonitorId = monitor.Id, StartUtc = inputs.StartUtc, Results = "", InputsStamp = "" };
                db.ProductionWindows.Add(window);
            }
            window.EndUtc = inputs.EndUtc;
            window.ComputedAtUtc = now;
            window.Predictions = result.Predictions;
            window.Labelled = computed.Labelled;
            window.Errors = result.Errors;
            window.Breaches = string.Join(',', result.Breaches);
            window.Health = result.Breaches.Count > 0 ? WindowHealth.Breached : result.Predictions == 0 ? WindowHealth.NoData : WindowHealth.Healthy;
            window.Results = result.ToJson();
            window.InputsStamp = inputs.Stamp(WindowDefinition.Of(snapshot));
            (deliveries, _) = await alerts.RaiseAsync(db, monitor, snapshot.Model!.Name, window, result, result.Breaches.Except(before).ToList(), ct);
            using (AuditAmbient.BeginAction("productionWindow.computed", "productionMonitor", monitor.Id.ToString(), $"{inputs.StartUtc:O} {window.Health}"))
                await db.SaveChangesAsync(ct);
        }
        jobs.EnqueueAll(deliveries);
        if (result.Breaches.Contains(WindowObjectives.Drift) && snapshot.RetrainSpecId is not null)
        {
            try
            {
                if (await training.StartForProductionDriftAsync(snapshot.Id, ct) is { } run)
                    logger.LogInformation("Production drift on monitor {MonitorId} started training run {RunId}", snapshot.Id, run.Id);
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                logger.LogWarning(e, "Production drift on monitor {MonitorId}: starting the linked training failed", snapshot.Id);
            }
        }
    }

    private static TelemetryFilter Filter(ProductionMonitor monitor, IReadOnlyList<int>? stageVersions) => monitor.Target switch
    {
        ProductionTarget.Alias => TelemetryFilter.ForAlias(monitor.TargetValue),
        ProductionTarget.Stage => TelemetryFilter.ForVersions(stageVersions!),
        ProductionTarget.Versions => TelemetryFilter.ForVersions(monitor.TargetValue.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            .Select(v => int.TryParse(v, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var n) ? n
                : throw new InvalidOperationException($"Production monitor {monitor.Id} lists the version '{v}', which is not a number.")).ToList()),
        _ => throw new InvalidOperationException($"Production monitor {monitor.Id} has the unknown target {monitor.Target}."),
    };

    public static DateTime Floor(DateTime utc, ProductionWindowSize size) => size switch
    {
        ProductionWindowSize.Hour => TelemetryPaths.HourOf(utc),
        ProductionWindowSize.Day => DateTime.SpecifyKind(utc.Date, DateTimeKind.Utc),
        _ => throw new ArgumentOutOfRangeException(nameof(size), size, null),
    };

    private static DateTime Next(DateTime start, ProductionWindowSize size) => size switch
    {
        ProductionWindowSize.Hour => start.AddHours(1),
        ProductionWindowSize.Day => start.AddDays(1),
        _ => throw new ArgumentOutOfRangeException(nameof(size), size, null),
    };
}
