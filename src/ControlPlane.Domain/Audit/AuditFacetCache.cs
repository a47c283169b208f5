namespace ControlPlane.Domain.Audit;

/// <summary>
/// The audit filters' values for a minute: three DISTINCT scans of the whole trail on every visit of the audit page
/// cost more than a filter list that misses the last minute's new action name. Per process; a second instance may
/// show a list up to a minute apart, which only changes what a dropdown offers, never what a search finds.
/// </summary>
public sealed class AuditFacetCache(TimeProvider time)
{
    public static readonly TimeSpan Lifetime = TimeSpan.FromMinutes(1);
    private readonly SemaphoreSlim _gate = new(1, 1);
    private (AuditFacets Facets, DateTimeOffset At)? _held;

    public async Task<AuditFacets> GetAsync(Func<CancellationToken, Task<AuditFacets>> load, CancellationToken ct)
    {
        if (Fresh() is { } facets)
            return facets;
        await _gate.WaitAsync(ct);
        try
        {
            if (Fresh() is { } loaded)
                return loaded;
            var value = await load(ct);
            _held = (value, time.GetUtcNow());
            return value;
        }
        finally
        {
            _gate.Release();
        }
    }

    private AuditFacets? Fresh() => _held is { } held && time.GetUtcNow() - held.At < Lifetime ? held.Facets : null;
}
