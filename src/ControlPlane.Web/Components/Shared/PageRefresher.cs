using ControlPlane.Domain.Common;

namespace ControlPlane.Web.Components.Shared;

/// <summary>
/// Re-reads what a page shows once a second while it is still being worked on (a profile, an evaluation, a drift
/// run), until the refresh says it is done or the page goes away. Stands in for issue 10's live notifier.
/// </summary>
public sealed class PageRefresher : IDisposable
{
    private static readonly TimeSpan Interval = TimeSpan.FromSeconds(1);
    private CancellationTokenSource? _stop;

    /// <param name="refresh">Reloads and re-renders; returns whether to keep going.</param>
    public void Start(Func<CancellationToken, Task<bool>> refresh)
    {
        if (_stop is not null)
            return;
        _stop = new CancellationTokenSource();
        _ = LoopAsync(refresh, _stop.Token);
    }

    private async Task LoopAsync(Func<CancellationToken, Task<bool>> refresh, CancellationToken ct)
    {
        using var timer = new PeriodicTimer(Interval);
        try
        {
            while (await timer.WaitForNextTickAsync(ct))
                if (!await refresh(ct))
                    break;
        }
        catch (OperationCanceledException) { }
        catch (DomainException) { } // the subject went away or access changed: stop quietly, the page shows what it had
        finally
        {
            _stop = null;
        }
    }

    public void Dispose() => _stop?.Cancel();
}
