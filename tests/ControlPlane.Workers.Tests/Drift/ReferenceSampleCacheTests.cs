using ControlPlane.Workers.Drift;

namespace ControlPlane.Workers.Tests.Drift;

public sealed class ReferenceSampleCacheTests
{
    [Fact]
    public void A_prepared_column_is_served_again_and_the_least_recently_used_goes_when_full()
    {
        var cache = new ReferenceSampleCache(maxValues: 250);
        var version = Guid.NewGuid();
        ReferenceSampleCache.Key Key(string column) => new(version, column, Numerical: true);

        var a = cache.Add(Key("a"), [3, 1, 2, double.NaN], null);
        cache.Add(Key("b"), new double[100], null);
        Assert.True(cache.TryGet(Key("a"), out var again));
        Assert.Same(a, again);
        Thread.Sleep(20); // "a" was used after "b"
        Assert.True(cache.TryGet(Key("a"), out _));
        cache.Add(Key("c"), new double[200], null); // over 250 values: the least recently used ("b") goes first

        Assert.False(cache.TryGet(Key("b"), out _));
        Assert.True(cache.TryGet(Key("c"), out _));
        Assert.False(cache.TryGet(Key("a") with { Numerical = false }, out _)); // a type change is another entry
    }
}
