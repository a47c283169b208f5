using System.Text.Json;
using ControlPlane.Domain.Production;
using static ControlPlane.Workers.Tests.Production.ProductionHost;

namespace ControlPlane.Workers.Tests.Production;

/// <summary>The job finds its work from the stored stamps: late data recomputes what it touches, nothing else, and a rerun changes nothing.</summary>
public sealed class LateDataTests
{
    private static PredictionRow[] Rows(string prefix, DateTime hour, int count, double shift = 0) =>
        Enumerable.Range(0, count).Select(i => new PredictionRow($"{prefix}{i}", hour.AddMinutes(i % 60), Score: (i % 10) / 10.0,
            Features: new Dictionary<string, object?> { ["x"] = i % 17 + shift })).ToArray();

    private static string Snapshot(IEnumerable<ProductionWindow> windows) => JsonSerializer.Serialize(windows.Select(w => new
    {
        w.Id, w.StartUtc, w.EndUtc, w.ComputedAtUtc, w.Predictions, w.Labelled, w.Errors, w.Health, w.Breaches, w.Results, w.InputsStamp,
    }));

    [Fact]
    public async Task A_late_segment_recomputes_its_window_and_the_next_one_only_and_a_second_run_changes_nothing()
    {
        await using var p = await ProductionHost.StartAsync();
        var monitor = await p.MonitorAsync(new ProductionMonitorSettings());
        var six = Seven.AddHours(-1);
        await p.PredictionsAsync(six.AddMinutes(61), Rows("a", six, 40));
        await p.PredictionsAsync(Seven.AddMinutes(61), Rows("b", Seven, 40));
        await p.PredictionsAsync(Eight.AddMinutes(61), Rows("c", Eight, 40));

        Assert.Equal(3, await p.RunAsync(monitor));
        var first = await p.WindowsAsync(monitor);
        Assert.Equal(0, await p.RunAsync(monitor));
        Assert.Equal(Snapshot(first), Snapshot(await p.WindowsAsync(monitor)));

        p.Host.Time.Advance(TimeSpan.FromMinutes(5));
        await p.PredictionsAsync(Seven.AddMinutes(130), Rows("late", Seven, 35, shift: 50));
        Assert.Equal(2, await p.RunAsync(monitor));
        var second = await p.WindowsAsync(monitor);

        Assert.Equal(Snapshot(first.Take(1)), Snapshot(second.Take(1))); // 06:00 untouched
        Assert.Equal((40L, 75L, 40L), (second[0].Predictions, second[1].Predictions, second[2].Predictions));
        Assert.Equal(first.Select(w => w.Id), second.Select(w => w.Id)); // replaced in place, one row per window
        Assert.NotEqual(first[1].InputsStamp, second[1].InputsStamp);
        Assert.True(second[1].ComputedAtUtc > first[1].ComputedAtUtc);
        // 08:00 is recomputed because its drift against 07:00 read the late rows too.
        Assert.NotEqual(first[2].Results, second[2].Results);
        Assert.Equal(0, await p.RunAsync(monitor));
        Assert.Equal(Snapshot(second), Snapshot(await p.WindowsAsync(monitor)));
    }

    [Fact]
    public async Task Actuals_that_arrive_before_their_predictions_join_once_the_predictions_arrive()
    {
        await using var p = await ProductionHost.StartAsync();
        var monitor = await p.MonitorAsync(new ProductionMonitorSettings());
        await p.ActualsAsync(Seven.AddMinutes(10), Enumerable.Range(0, 5).Select(i => new ActualRow($"x{i}", i % 2 == 0 ? "1" : "0", Seven.AddMinutes(i))).ToArray());

        Assert.Equal(0, await p.RunAsync(monitor)); // no predictions: no window yet
        await p.PredictionsAsync(Seven.AddMinutes(40), Enumerable.Range(0, 8).Select(i => new PredictionRow($"x{i}", Seven.AddMinutes(i), Score: 0.8)).ToArray());
        Assert.Equal(2, await p.RunAsync(monitor)); // 07:00, and 08:00 with no data

        var window = (await p.WindowsAsync(monitor))[0];
        Assert.Equal((8L, 5L), (window.Predictions, window.Labelled));
        Assert.Equal(3 / 5.0, ProductionWindowResult.FromJson(window.Results).Realised!.Metrics["accuracy"], 12);

        // A late label for one more of them recomputes the window.
        p.Host.Time.Advance(TimeSpan.FromMinutes(5));
        await p.ActualsAsync(Eight.AddMinutes(20), new ActualRow("x7", "1", Eight.AddMinutes(1)));
        Assert.Equal(1, await p.RunAsync(monitor));
        Assert.Equal(6L, (await p.WindowsAsync(monitor))[0].Labelled);
    }

    [Fact]
    public async Task A_monitor_watches_its_alias_or_its_versions_only()
    {
        await using var p = await ProductionHost.StartAsync();
        var alias = await p.MonitorAsync(new ProductionMonitorSettings(), target: ProductionTarget.Alias, targetValue: "champion", name: "alias");
        var versions = await p.MonitorAsync(new ProductionMonitorSettings(), target: ProductionTarget.Versions, targetValue: "2, 3", name: "versions");
        var rows = new List<PredictionRow>();
        rows.AddRange(Enumerable.Range(0, 3).Select(i => new PredictionRow($"a{i}", Eight, Version: 1, Alias: "champion")));
        rows.AddRange(Enumerable.Range(0, 2).Select(i => new PredictionRow($"b{i}", Eight, Version: 2)));
        rows.AddRange(Enumerable.Range(0, 4).Select(i => new PredictionRow($"c{i}", Eight, Version: 2, Alias: "challenger", Variant: "shadow")));
        rows.Add(new PredictionRow("d0", Eight, Version: 3, Variant: "canary"));
        await p.PredictionsAsync(Eight.AddMinutes(70), [.. rows]);

        await p.RunAsync(alias);
        await p.RunAsync(versions);

        Assert.Equal([new ServedSlice(1, "primary", 3)], (await p.WindowAsync(alias, Eight)).Served);
        Assert.Equal([new ServedSlice(2, "primary", 2), new ServedSlice(2, "shadow", 4), new ServedSlice(3, "canary", 1)], (await p.WindowAsync(versions, Eight)).Served);
        Assert.Equal(7, (await p.WindowAsync(versions, Eight)).Predictions);
    }
}
