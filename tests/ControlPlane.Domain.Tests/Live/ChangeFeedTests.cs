using ControlPlane.Domain.Live;
using Microsoft.Extensions.Logging.Abstractions;

namespace ControlPlane.Domain.Tests.Live;

public sealed class ChangeFeedTests
{
    private sealed class FakeSource : ILiveStateSource
    {
        public Dictionary<LiveSubject, string> States { get; } = [];
        public List<IReadOnlyCollection<LiveSubject>> Reads { get; } = [];

        public Task<IReadOnlyDictionary<LiveSubject, string>> ReadAsync(IReadOnlyCollection<LiveSubject> subjects, CancellationToken ct)
        {
            Reads.Add(subjects);
            return Task.FromResult<IReadOnlyDictionary<LiveSubject, string>>(new Dictionary<LiveSubject, string>(States));
        }
    }

    private readonly FakeSource _source = new();
    private readonly ChangeFeed _feed;
    private static readonly LiveSubject Run = LiveSubject.Evaluation(Guid.NewGuid());

    public ChangeFeedTests() => _feed = new ChangeFeed(_source, NullLogger<ChangeFeed>.Instance);

    [Fact]
    public async Task The_first_tick_delivers_once_then_only_changes_are_delivered()
    {
        var calls = 0;
        _source.States[Run] = "running:0.1";
        using var _ = _feed.Subscribe(Run, () => { calls++; return Task.CompletedTask; });

        await _feed.TickAsync();
        Assert.Equal(1, calls);
        await _feed.TickAsync();
        Assert.Equal(1, calls);

        _source.States[Run] = "running:0.5";
        await _feed.TickAsync();
        Assert.Equal(2, calls);
    }

    [Fact]
    public async Task Unsubscribing_stops_delivery_and_the_reads()
    {
        var calls = 0;
        var subscription = _feed.Subscribe(Run, () => { calls++; return Task.CompletedTask; });
        await _feed.TickAsync();
        Assert.True(_feed.HasSubscribers);

        subscription.Dispose();
        _source.States[Run] = "done";
        await _feed.TickAsync();
        await _feed.PublishAsync(Run);

        Assert.Equal(1, calls);
        Assert.False(_feed.HasSubscribers);
        Assert.Single(_source.Reads); // no subscribers, no query
    }

    [Fact]
    public async Task Many_subscribers_of_many_subjects_cost_one_read_per_tick()
    {
        var subjects = Enumerable.Range(0, 50).Select(_ => LiveSubject.DriftRun(Guid.NewGuid())).ToList();
        var calls = new int[subjects.Count * 4];
        var subscriptions = Enumerable.Range(0, calls.Length)
            .Select(i => _feed.Subscribe(subjects[i % subjects.Count], () => { Interlocked.Increment(ref calls[i]); return Task.CompletedTask; }))
            .ToList();

        await _feed.TickAsync();
        _source.States[subjects[7]] = "changed";
        await _feed.TickAsync();

        Assert.Equal(2, _source.Reads.Count);
        Assert.Equal(subjects.Count, _source.Reads[0].Count); // each subject once, however many watch it
        Assert.Equal(4, Enumerable.Range(0, calls.Length).Count(i => calls[i] == 2));
        Assert.All(Enumerable.Range(0, calls.Length).Where(i => i % subjects.Count != 7), i => Assert.Equal(1, calls[i]));
        subscriptions.ForEach(s => s.Dispose());
    }

    [Fact]
    public async Task A_job_in_this_process_reaches_its_subjects_subscribers_at_once_without_a_read()
    {
        var other = LiveSubject.Evaluation(Guid.NewGuid());
        var seen = new List<LiveSubject>();
        using var a = _feed.Subscribe(Run, () => { seen.Add(Run); return Task.CompletedTask; });
        using var b = _feed.Subscribe(other, () => { seen.Add(other); return Task.CompletedTask; });

        await _feed.PublishAsync(Run);

        Assert.Equal([Run], seen);
        Assert.Empty(_source.Reads);
    }

    [Fact]
    public async Task A_failing_subscriber_does_not_stop_the_others()
    {
        var calls = 0;
        using var bad = _feed.Subscribe(Run, () => throw new InvalidOperationException("circuit gone"));
        using var good = _feed.Subscribe(Run, () => { calls++; return Task.CompletedTask; });

        await _feed.TickAsync();

        Assert.Equal(1, calls);
    }

    [Fact]
    public async Task Waiting_for_subscribers_completes_on_the_first_and_resets_after_the_last()
    {
        var waiting = _feed.WhenSubscribedAsync(CancellationToken.None);
        Assert.False(waiting.IsCompleted);

        var subscription = _feed.Subscribe(Run, () => Task.CompletedTask);
        await waiting;
        subscription.Dispose();

        Assert.False(_feed.WhenSubscribedAsync(CancellationToken.None).IsCompleted);
    }
}
