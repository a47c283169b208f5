using Microsoft.Extensions.Logging;

namespace ControlPlane.Domain.Live;

/// <summary>
/// The one notifier open pages subscribe to. Jobs in this process push through <see cref="Changed"/>; for jobs in
/// other processes a watcher calls <see cref="TickAsync"/> while anyone subscribes, which reads every subscribed
/// subject's rows in one query and tells the subscribers whose rows changed.
/// </summary>
public sealed class ChangeFeed(ILiveStateSource source, ILogger<ChangeFeed> logger) : IProgressNotifier
{
    private readonly Lock _gate = new();
    private readonly List<Subscription> _subscriptions = [];
    private TaskCompletionSource _subscribed = NewSignal();

    public bool HasSubscribers
    {
        get { lock (_gate) return _subscriptions.Count > 0; }
    }

    /// <summary>
    /// Calls <paramref name="onChange"/> whenever the subject's rows change, until disposed. The first tick after
    /// subscribing always calls it once, so a change between the subscriber's own read and the watch is not lost.
    /// </summary>
    public IDisposable Subscribe(LiveSubject subject, Func<Task> onChange)
    {
        var subscription = new Subscription(this, subject, onChange);
        lock (_gate)
        {
            _subscriptions.Add(subscription);
            _subscribed.TrySetResult();
        }
        return subscription;
    }

    /// <summary>Completes when there is at least one subscriber.</summary>
    public Task WhenSubscribedAsync(CancellationToken ct)
    {
        lock (_gate)
            return _subscribed.Task.WaitAsync(ct);
    }

    public void Changed(LiveSubject subject) => _ = PublishAsync(subject);

    /// <summary>Tells the subject's subscribers now (the in-process fast path); completes when they have handled it.</summary>
    public Task PublishAsync(LiveSubject subject) => DeliverAsync(Snapshot().Where(s => s.Subject == subject));

    /// <summary>One watch round: one read for all subscribed subjects, then a call to each subscriber whose subject changed.</summary>
    public async Task TickAsync(CancellationToken ct = default)
    {
        var subscriptions = Snapshot();
        if (subscriptions.Count == 0)
            return;
        var states = await source.ReadAsync(subscriptions.Select(s => s.Subject).ToHashSet(), ct);
        var changed = new List<Subscription>();
        foreach (var s in subscriptions)
        {
            var state = states.GetValueOrDefault(s.Subject, "");
            if (s.LastSeen != state)
                changed.Add(s);
            s.LastSeen = state;
        }
        await DeliverAsync(changed);
    }

    private List<Subscription> Snapshot()
    {
        lock (_gate)
            return [.. _subscriptions];
    }

    private async Task DeliverAsync(IEnumerable<Subscription> subscriptions) =>
        await Task.WhenAll(subscriptions.Select(CallAsync));

    private async Task CallAsync(Subscription s)
    {
        try
        {
            if (!s.Disposed)
                await s.OnChange();
        }
        catch (Exception e) // one subscriber's failure (a page gone, a lost circuit) must not stop the others
        {
            logger.LogDebug(e, "A subscriber of {Subject} failed to handle a change", s.Subject);
        }
    }

    private void Remove(Subscription subscription)
    {
        lock (_gate)
        {
            _subscriptions.Remove(subscription);
            if (_subscriptions.Count == 0 && _subscribed.Task.IsCompleted)
                _subscribed = NewSignal();
        }
    }

    private static TaskCompletionSource NewSignal() => new(TaskCreationOptions.RunContinuationsAsynchronously);

    private sealed class Subscription(ChangeFeed feed, LiveSubject subject, Func<Task> onChange) : IDisposable
    {
        public LiveSubject Subject { get; } = subject;
        public Func<Task> OnChange { get; } = onChange;
        /// <summary>Null until the first tick: that tick always delivers.</summary>
        public string? LastSeen { get; set; }
        public bool Disposed { get; private set; }

        public void Dispose()
        {
            if (Disposed)
                return;
            Disposed = true;
            feed.Remove(this);
        }
    }
}
