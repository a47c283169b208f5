namespace ControlPlane.Domain.Live;

/// <summary>
/// What a job calls after it saved progress or an outcome. In the process that also serves pages this reaches them
/// at once; pages of other processes learn of it from <see cref="ChangeFeed"/>'s database watcher.
/// </summary>
public interface IProgressNotifier
{
    void Changed(LiveSubject subject);
}
