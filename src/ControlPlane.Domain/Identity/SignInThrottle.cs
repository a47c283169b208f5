using System.Collections.Concurrent;
using ControlPlane.Domain.Common;
using Microsoft.Extensions.Options;

namespace ControlPlane.Domain.Identity;

/// <summary>
/// Counts credential attempts per account name (as typed, case-insensitive) in fixed windows, in this process: a guesser
/// spread over many addresses is still slowed on one account. Windows that ended are dropped as new names arrive.
/// </summary>
public sealed class SignInThrottle(IOptions<SignInLimits> options, TimeProvider time)
{
    private const int PruneAbove = 10_000;
    private readonly ConcurrentDictionary<string, Window> _windows = new(StringComparer.OrdinalIgnoreCase);

    private sealed class Window(DateTime start)
    {
        public DateTime Start { get; } = start;
        public int Count;
    }

    /// <summary>Takes one attempt for the account, or throws <see cref="TooManyRequestsException"/> with the wait.</summary>
    public void Take(string account)
    {
        var limits = options.Value;
        var now = time.GetUtcNow().UtcDateTime;
        if (_windows.Count > PruneAbove)
            foreach (var (key, old) in _windows)
                if (now - old.Start >= limits.Window)
                    _windows.TryRemove(key, out _);
        var window = _windows.AddOrUpdate(account.Trim(), _ => new Window(now), (_, w) => now - w.Start >= limits.Window ? new Window(now) : w);
        if (Interlocked.Increment(ref window.Count) > limits.PerAccount)
            throw new TooManyRequestsException("Too many sign-in attempts for this account; wait and try again.", window.Start + limits.Window - now);
    }
}
