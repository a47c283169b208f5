using ControlPlane.Domain.Hosting;
using ControlPlane.TestSupport;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;

namespace ControlPlane.Domain.Tests.Hosting;

public sealed class MemoryTrimmerTests
{
    private const long MiB = 1 << 20;

    [Fact]
    public void Memory_the_collector_holds_but_no_longer_uses_goes_back_to_the_system()
    {
        var trimmer = new MemoryTrimmer(Options.Create(new MemoryTrimOptions()), TimeProvider.System, NullLogger<MemoryTrimmer>.Instance);
        AllocateAndDrop(512 * MiB);
        GC.Collect(); // the garbage is collected, but the memory it took stays committed
        var before = GC.GetGCMemoryInfo().TotalCommittedBytes;

        Assert.False(trimmer.TrimIfWorthIt(long.MaxValue / 2));
        Assert.True(trimmer.TrimIfWorthIt(64 * MiB));

        var after = GC.GetGCMemoryInfo().TotalCommittedBytes;
        // Other tests share this process, and an ordinary collection may already give some back: bound it loosely.
        Assert.True(before - after > 64 * MiB, $"committed {before / MiB} MiB before, {after / MiB} MiB after");
    }

    [Fact]
    public async Task Work_that_asks_for_a_check_gets_one_soon_after_it_ends_not_at_the_next_interval()
    {
        var trimmer = new MemoryTrimmer(Options.Create(new MemoryTrimOptions { CheckInterval = TimeSpan.FromHours(1) }), TimeProvider.System, NullLogger<MemoryTrimmer>.Instance);
        await trimmer.StartAsync(CancellationToken.None);
        try
        {
            using (trimmer.CheckWhenDone())
            using (trimmer.CheckWhenDone()) // two requests together make one check
                Assert.Equal(0, trimmer.Checks);
            await Eventually.GetAsync(() => Task.FromResult(trimmer.Checks == 1 ? "checked" : null), TimeSpan.FromSeconds(30), "a check after the work ended");
            await Task.Delay(MemoryTrimmer.AfterWork * 3);
            Assert.Equal(1, trimmer.Checks);

            using (trimmer.CheckWhenDone())
            {
            }
            await Eventually.GetAsync(() => Task.FromResult(trimmer.Checks == 2 ? "checked" : null), TimeSpan.FromSeconds(30), "a check after the second piece of work");
        }
        finally
        {
            await trimmer.StopAsync(CancellationToken.None);
        }
    }

    private static void AllocateAndDrop(long bytes)
    {
        var held = new List<byte[]>();
        for (long total = 0; total < bytes; total += 1 * MiB)
        {
            var chunk = new byte[1 * MiB];
            chunk[^1] = 1; // touched, so the pages are really in use
            held.Add(chunk);
        }
        GC.KeepAlive(held);
    }
}
