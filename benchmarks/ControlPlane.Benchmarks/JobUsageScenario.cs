using System.Diagnostics;
using ControlPlane.Domain.Costs;
using ControlPlane.Workers.Jobs;

namespace ControlPlane.Benchmarks;

/// <summary>
/// What usage recording costs: (1) an async flow that hops threads <c>awaits</c> times, with and without a job usage
/// scope (each hop into or out of the scope reads the thread's CPU clock), alternating rounds so both see the same
/// machine; (2) pricing a month of usage rows (<see cref="CostAttribution"/>) spread over some workers, most overlapping.
/// </summary>
internal static class JobUsageScenario
{
    public static async Task RunAsync(int awaits, int spans, int repeats)
    {
        var bare = new List<double>();
        var scoped = new List<double>();
        for (var r = 0; r < repeats + 1; r++) // the first round warms up and is dropped
        {
            var plain = await HopsAsync(awaits);
            var scope = JobUsageScope.Begin();
            double measured;
            try
            {
                measured = await HopsAsync(awaits);
            }
            finally
            {
                scope.End();
            }
            if (r == 0)
                continue;
            bare.Add(plain);
            scoped.Add(measured);
        }
        Console.WriteLine($"thread hops: {awaits:N0} awaits of Task.Yield, {repeats} rounds");
        Console.WriteLine($"  without a scope: median {Median(bare) * 1e9 / awaits:0} ns per hop");
        Console.WriteLine($"  with a scope:    median {Median(scoped) * 1e9 / awaits:0} ns per hop");

        var random = new Random(19);
        var month = new DateTime(2026, 3, 1, 0, 0, 0, DateTimeKind.Utc);
        var rows = Enumerable.Range(0, spans).Select(i =>
        {
            var start = month.AddMinutes(random.Next(0, 31 * 24 * 60));
            return new UsageSpan(Guid.NewGuid(), $"w{random.Next(8)}", start, start.AddMinutes(random.Next(1, 240)), 6);
        }).ToList();
        var pricing = new List<double>();
        for (var r = 0; r < repeats + 1; r++)
        {
            var clock = Stopwatch.StartNew();
            var slices = CostAttribution.Attribute(rows, month, month.AddMonths(2));
            if (r > 0)
                pricing.Add(clock.Elapsed.TotalSeconds);
            GC.KeepAlive(slices);
        }
        Console.WriteLine($"pricing {spans:N0} usage rows on 8 workers over a month: median {Median(pricing) * 1000:0.0} ms");
    }

    private static async Task<double> HopsAsync(int awaits)
    {
        var clock = Stopwatch.StartNew();
        for (var i = 0; i < awaits; i++)
            await Task.Yield();
        return clock.Elapsed.TotalSeconds;
    }

    private static double Median(List<double> values) => values.Order().ElementAt(values.Count / 2);
}
