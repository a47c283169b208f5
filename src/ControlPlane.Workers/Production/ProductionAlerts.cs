using ControlPlane.Domain.Persistence;
using ControlPlane.Domain.Production;
using ControlPlane.Domain.Webhooks;

namespace ControlPlane.Workers.Production;

/// <summary>
/// Turns a window's new breaches into product events (an in-app notification and the subscribed webhooks), one per
/// kind of breach, each at most once per the monitor's cool-down.
/// </summary>
public sealed class ProductionAlerts(TimeProvider time)
{
    /// <summary>Adds the events to <paramref name="db"/>'s unit of work and stamps the tracked <paramref name="monitor"/>; returns the deliveries and the kinds alerted.</summary>
    public async Task<(IReadOnlyList<WebhookDelivery> Deliveries, IReadOnlyList<string> Alerted)> RaiseAsync(ControlPlaneDbContext db, ProductionMonitor monitor,
        string modelName, ProductionWindow window, ProductionWindowResult result, IReadOnlyCollection<string> kinds, CancellationToken ct)
    {
        var now = time.GetUtcNow().UtcDateTime;
        var cooldown = TimeSpan.FromMinutes(monitor.AlertCooldownMinutes);
        var deliveries = new List<WebhookDelivery>();
        var alerted = new List<string>();
        foreach (var kind in kinds)
        {
            var (eventName, last) = kind switch
            {
                WindowObjectives.Drift => (WebhookEvents.ProductionDrift, monitor.LastDriftAlertAtUtc),
                WindowObjectives.Performance => (WebhookEvents.ProductionPerformance, monitor.LastPerformanceAlertAtUtc),
                WindowObjectives.Slo => (WebhookEvents.ProductionSlo, monitor.LastSloAlertAtUtc),
                _ => throw new InvalidOperationException($"Unknown kind of breach '{kind}'."),
            };
            if (last is { } at && now - at < cooldown)
                continue;
            if (kind == WindowObjectives.Drift)
                monitor.LastDriftAlertAtUtc = now;
            else if (kind == WindowObjectives.Performance)
                monitor.LastPerformanceAlertAtUtc = now;
            else
                monitor.LastSloAlertAtUtc = now;
            var missed = result.Objectives.Where(o => o.Kind == kind && o.Met == false).ToList();
            var title = $"{modelName} · {monitor.Name}: {kind} breach in the window from {window.StartUtc:yyyy-MM-dd HH:mm} UTC";
            var body = string.Join("; ", missed.Select(o => $"{o.Name} {o.Actual?.ToString("G4", System.Globalization.CultureInfo.InvariantCulture) ?? "–"} (bound {o.Bound.ToString("G4", System.Globalization.CultureInfo.InvariantCulture)})"));
            var link = $"/models/{Uri.EscapeDataString(modelName)}/production/{monitor.Id}";
            var data = new
            {
                model = modelName,
                monitor = new { id = monitor.Id, name = monitor.Name },
                window = new { start = window.StartUtc, end = window.EndUtc, predictions = window.Predictions, labelled = window.Labelled },
                objectives = missed.Select(o => new { name = o.Name, bound = o.Bound, actual = o.Actual }),
            };
            deliveries.AddRange(await ProductEvents.RaiseAsync(db, eventName, title, body, link, data, now, ct));
            alerted.Add(kind);
        }
        return (deliveries, alerted);
    }
}
