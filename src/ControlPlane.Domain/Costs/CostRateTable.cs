namespace ControlPlane.Domain.Costs;

/// <summary>
/// The hourly rate of a job: its worker's rate if one is set, else its queue's, else the default. Rates set by admins
/// (stored) win over those in configuration.
/// </summary>
public sealed class CostRateTable(CostOptions options, IReadOnlyCollection<CostSetting> stored)
{
    public double RateFor(string worker, string queue) =>
        Stored(CostSettingKind.WorkerRate, worker) ?? Configured(options.Workers, worker)
        ?? Stored(CostSettingKind.QueueRate, queue) ?? Configured(options.Queues, queue)
        ?? options.DefaultHourlyRate;

    private double? Stored(CostSettingKind kind, string key) =>
        stored.FirstOrDefault(s => s.Kind == kind && string.Equals(s.Key, key, StringComparison.OrdinalIgnoreCase))?.Amount;

    private static double? Configured(Dictionary<string, double> rates, string key) =>
        rates.FirstOrDefault(p => string.Equals(p.Key, key, StringComparison.OrdinalIgnoreCase)) is { Key: not null } p ? p.Value : null;
}
