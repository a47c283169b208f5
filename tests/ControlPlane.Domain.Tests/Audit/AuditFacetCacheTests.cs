using ControlPlane.Domain.Audit;
using Microsoft.Extensions.Time.Testing;

namespace ControlPlane.Domain.Tests.Audit;

public sealed class AuditFacetCacheTests
{
    [Fact]
    public async Task The_facets_are_loaded_once_a_minute_and_again_after_it()
    {
        var time = new FakeTimeProvider();
        var cache = new AuditFacetCache(time);
        var loads = 0;
        Task<AuditFacets> Load(CancellationToken _) => Task.FromResult(new AuditFacets([$"action-{++loads}"], [], []));

        Assert.Equal("action-1", (await cache.GetAsync(Load, default)).Actions[0]);
        time.Advance(AuditFacetCache.Lifetime - TimeSpan.FromSeconds(1));
        Assert.Equal("action-1", (await cache.GetAsync(Load, default)).Actions[0]);
        time.Advance(TimeSpan.FromSeconds(1));
        Assert.Equal("action-2", (await cache.GetAsync(Load, default)).Actions[0]);
        Assert.Equal(2, loads);
    }

    [Fact]
    public async Task Visits_at_the_same_moment_share_one_load()
    {
        var cache = new AuditFacetCache(new FakeTimeProvider());
        var release = new TaskCompletionSource();
        var loads = 0;
        async Task<AuditFacets> Load(CancellationToken _)
        {
            Interlocked.Increment(ref loads);
            await release.Task;
            return new AuditFacets(["a"], [], []);
        }

        var visits = Enumerable.Range(0, 5).Select(_ => cache.GetAsync(Load, default)).ToList();
        release.SetResult();
        await Task.WhenAll(visits);
        Assert.Equal(1, loads);
    }
}
