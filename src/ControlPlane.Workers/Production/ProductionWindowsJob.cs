namespace ControlPlane.Workers.Production;

/// <summary>
/// Placeholder for the production windows job (written on another branch): the scheduler's "compute now" calls
/// <see cref="RunForMonitorAsync"/>. Replace this file with the real job.
/// </summary>
public sealed class ProductionWindowsJob
{
    public Task RunForMonitorAsync(Guid monitorId, CancellationToken ct) =>
        throw new NotImplementedException("The production windows job is not on this branch yet.");
}
