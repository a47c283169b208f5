namespace ControlPlane.Domain.Common;

/// <summary>Forwards at most one progress report per interval (fire-and-forget; a lost report is harmless).</summary>
public sealed class ThrottledProgress(TimeProvider time, TimeSpan interval, Func<double, Task> report) : IProgress<double>
{
    private long _last = long.MinValue;
    private Task _pending = Task.CompletedTask;

    public void Report(double value)
    {
        var now = time.GetTimestamp();
        if (_last != long.MinValue && time.GetElapsedTime(_last, now) < interval || !_pending.IsCompleted)
            return;
        _last = now;
        _pending = ReportQuietlyAsync(value);
    }

    private async Task ReportQuietlyAsync(double value)
    {
        try { await report(value); }
        catch (Exception) { /* progress is advisory; the final status is saved separately */ }
    }
}
