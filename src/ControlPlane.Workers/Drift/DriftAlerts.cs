using System.Text.Json;
using ControlPlane.Domain.Drift;
using ControlPlane.Domain.Webhooks;
using ControlPlane.Domain.Persistence;
using ControlPlane.Workers.Drift.Statistics;

namespace ControlPlane.Workers.Drift;

/// <summary>
/// Turns a drifted run into an in-app notification and, when the monitor has a webhook, a delivery to send.
/// A drift that persists (the same drifted columns) alerts once per cool-down; a change in what drifted alerts at once.
/// </summary>
public sealed class DriftAlerts(TimeProvider time)
{
    public WebhookDelivery? Raise(ControlPlaneDbContext db, DriftMonitor monitor, DriftRun run, DatasetDriftResult result)
    {
        var drifted = result.Columns.Where(c => c.Drifted).Select(c => c.Name).Order(StringComparer.Ordinal).ToList();
        if (!result.DatasetDrift && drifted.Count == 0)
            return null;
        var now = time.GetUtcNow().UtcDateTime;
        var signature = $"{result.DatasetDrift}:{string.Join(',', drifted)}";
        if (signature == monitor.LastAlertSignature && monitor.LastAlertAtUtc is { } last && now - last < TimeSpan.FromMinutes(monitor.AlertCooldownMinutes))
            return null;
        monitor.LastAlertAtUtc = now;
        monitor.LastAlertSignature = signature.Length > 4000 ? signature[..4000] : signature;

        var headline = result.DatasetDrift
            ? $"Dataset drift on {monitor.Name}: {drifted.Count} of {result.Columns.Count} columns ({result.DriftShare:P0})"
            : $"Drift on {monitor.Name}: {string.Join(", ", drifted.Take(5))}{(drifted.Count > 5 ? "…" : "")}";
        var link = $"/drift/monitors/{monitor.Id}?run={run.Id}";
        db.Notifications.Add(new Notification
        {
            Id = Guid.CreateVersion7(), Kind = "drift", Title = headline.Length > 256 ? headline[..256] : headline,
            Body = $"Drifted columns: {string.Join(", ", drifted)}.", Link = link, CreatedAtUtc = now,
        });
        if (monitor.WebhookUrl is not { } url)
            return null;
        var payload = JsonSerializer.Serialize(new
        {
            @event = "drift.detected", monitor = new { id = monitor.Id, name = monitor.Name }, run = new { id = run.Id, link },
            datasetDrift = result.DatasetDrift, driftShare = result.DriftShare, driftedColumns = drifted,
            columns = result.Columns.Where(c => c.Drifted).Select(c => new
            {
                name = c.Name, tests = c.Tests.Select(t => new { method = t.Method.ToString(), statistic = Finite(t.Statistic), pValue = Finite(t.PValue), threshold = t.Threshold, drifted = t.Drifted }),
            }),
            occurredAt = now,
        });
        var delivery = new WebhookDelivery
        {
            Id = Guid.CreateVersion7(), Event = WebhookEvents.DriftDetected, MonitorId = monitor.Id, RunId = run.Id, Url = url, Payload = payload,
            Status = WebhookDeliveryStatus.Pending, CreatedAtUtc = now,
        };
        db.WebhookDeliveries.Add(delivery);
        return delivery;
    }

    private static double? Finite(double? value) => value is { } v && double.IsFinite(v) ? v : null;
}
