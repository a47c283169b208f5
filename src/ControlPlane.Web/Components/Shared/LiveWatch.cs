using ControlPlane.Domain.Live;

namespace ControlPlane.Web.Components.Shared;

/// <summary>
/// A component's subscription to one <see cref="LiveSubject"/> of the <see cref="ChangeFeed"/>: follow a subject
/// while there is something to watch, stop (null) when it is done; disposing the component ends it.
/// </summary>
public sealed class LiveWatch(ChangeFeed feed) : IDisposable
{
    private IDisposable? _subscription;
    private LiveSubject? _subject;

    /// <param name="subject">What to watch now; null stops watching.</param>
    /// <param name="onChange">Reloads and re-renders (wrap it in the component's InvokeAsync).</param>
    public void Follow(LiveSubject? subject, Func<Task> onChange)
    {
        if (subject == _subject)
            return;
        _subscription?.Dispose();
        _subscription = subject is { } s ? feed.Subscribe(s, onChange) : null;
        _subject = subject;
    }

    public void Dispose() => Follow(null, () => Task.CompletedTask);
}
