using System.Text.Json;
using ControlPlane.Domain.Drift;
using ControlPlane.Workers.Drift;
using ControlPlane.Workers.Drift.Statistics;
using static ControlPlane.Workers.Tests.Drift.DriftTestData;

namespace ControlPlane.Workers.Tests.Drift;

/// <summary>
/// A categorical column with 190,010 categories that barely overlap. Both sides hold ten heavy categories h0…h9 with
/// 1000·(j+1) values each (55,000), then one value each of s000000…s099999 (reference) and s090000…s189999
/// (current): 155,000 values a side, 10,000 singletons shared. By hand, on the full counts:
/// <list type="bullet">
/// <item>PSI = 0: heavy shares are equal, every singleton share (1/155,000) is raised to the 1e-4 floor on both sides.</item>
/// <item>χ²: each one-sided singleton has expected counts ½, ½ and adds ½ + ½; so χ² = 180,000 on dof 190,009, p = 1 to
/// double precision (z ≈ −16).</item>
/// <item>Jensen–Shannon: each one-sided singleton adds share·ln 2 to one KL side, so JS = √(90,000/155,000) = √(18/31).</item>
/// </list>
/// </summary>
public sealed class HighCardinalityTests
{
    private static readonly DriftOptions AllBinnedTests = new() { AlsoReport = [DriftMethod.Psi, DriftMethod.ChiSquare] };

    private static string?[] Reference() =>
        [.. Heavy(), .. Enumerable.Range(0, 100_000).Select(i => $"s{i:D6}")];

    private static string?[] Current() =>
        [.. Heavy(), .. Enumerable.Range(90_000, 100_000).Select(i => $"s{i:D6}")];

    private static IEnumerable<string?> Heavy() => Enumerable.Range(0, 10).SelectMany(j => Enumerable.Repeat<string?>($"h{j}", 1000 * (j + 1)));

    [Fact]
    public void Only_the_top_k_categories_and_one_other_bin_are_stored_while_the_tests_use_every_count()
    {
        var result = DriftEngine.Compare([DriftColumnInput.Categorical("id", Reference())], [DriftColumnInput.Categorical("id", Current())], AllBinnedTests);

        var column = Assert.Single(result.Columns);
        Close.Relative(Math.Sqrt(18.0 / 31.0), column.Test(DriftMethod.JensenShannon).Statistic, 1e-12);
        Assert.Equal(0.0, column.Test(DriftMethod.Psi).Statistic);
        Close.Relative(180_000, column.Test(DriftMethod.ChiSquare).Statistic, 1e-12);
        Assert.Equal(1.0, column.Test(DriftMethod.ChiSquare).PValue);
        Assert.Equal(DriftMethod.JensenShannon, column.Tests[0].Method);
        Assert.True(column.Drifted);
        Assert.False(column.Test(DriftMethod.Psi).Drifted);
        Assert.False(column.Test(DriftMethod.ChiSquare).Drifted);

        var bins = Assert.Single(column.Histograms).Bins;
        Assert.Equal(DriftOptions.Default.MaxHistogramCategories + 1, bins.Count);
        // Ranked by reference share + current share: the heavy ten, then the shared singletons (twice a one-sided one's).
        Assert.Equal([.. Enumerable.Range(0, 10).Select(j => $"h{j}"), .. Enumerable.Range(90_000, 40).Select(i => $"s{i:D6}")],
            bins.Take(50).Select(b => b.Label).Order(StringComparer.Ordinal));
        var other = bins[^1];
        Assert.Equal(("other (189,960 categories)", 189_960), (other.Label, other.OtherCategories));
        Assert.Equal((155_000L - 55_000 - 40, 155_000L - 55_000 - 40), (other.Reference, other.Current));
        Assert.Equal((155_000L, 155_000L), (bins.Sum(b => b.Reference), bins.Sum(b => b.Current)));

        var json = JsonSerializer.Serialize(result, DriftRunner.Json);
        Assert.True(json.Length < 10_000, $"The stored result is {json.Length:N0} characters.");
    }

    [Fact]
    public void Psi_and_chi_square_are_flagged_blind_there_and_Jensen_Shannon_is_named_but_not_on_a_well_populated_column()
    {
        string?[] Populated(int shift) => Repeat(("a", 3000 + shift), ("b", 2500), ("c", 2000 - shift), ("d", 1500), ("e", 1000));
        var result = DriftEngine.Compare(
            [DriftColumnInput.Categorical("id", Reference()), DriftColumnInput.Categorical("segment", Populated(0))],
            [DriftColumnInput.Categorical("id", Current()), DriftColumnInput.Categorical("segment", Populated(400))],
            AllBinnedTests);

        var id = result.Columns[0];
        Assert.Equal([DriftMethod.Psi, DriftMethod.ChiSquare], id.Warnings.Select(w => w.Method));
        Assert.All(id.Warnings, w => Assert.Equal(DriftMethod.JensenShannon, w.Trust));
        Assert.Contains("64.5% of the reference and 64.5% of the current values", id.Warnings[0].Message);
        Assert.Contains("100% of its 380,020 expected counts are below 5 (the smallest is 0.5)", id.Warnings[1].Message);
        var segment = result.Columns[1];
        Assert.Empty(segment.Warnings);
        Assert.Equal([DriftMethod.JensenShannon, DriftMethod.Psi, DriftMethod.ChiSquare], segment.Tests.Select(t => t.Method));

        // Stored with the column and read back, as the API returns and the monitor page shows it.
        var stored = JsonSerializer.Deserialize<DatasetDriftResult>(JsonSerializer.Serialize(result, DriftRunner.Json), DriftRunner.Json)!;
        Assert.Equal(id.Warnings, stored.Columns[0].Warnings);
        Assert.Empty(stored.Columns[1].Warnings);
    }

    [Theory]
    // Expected counts equal the observed here (both sides alike), so the rule reads straight off the counts.
    [InlineData(new long[] { 50, 50, 50, 50, 2 }, new long[] { 50, 50, 50, 50, 2 }, false)] // 2 of 10 below 5: 20%, not over
    [InlineData(new long[] { 50, 50, 50, 2, 2 }, new long[] { 50, 50, 50, 2, 2 }, true)] // 4 of 10: 40%
    [InlineData(new long[] { 100, 100, 100, 100, 1 }, new long[] { 100, 100, 100, 100, 0 }, true)] // 20%, but 401/801 and 400/801 below 1
    public void Chi_square_is_blind_past_20_percent_of_expected_counts_below_5_or_any_below_1(long[] reference, long[] current, bool blind)
    {
        var column = Categorical(Labelled(reference), Labelled(current), DriftMethod.ChiSquare);

        Assert.Equal(blind, column.Warnings.Any(w => w.Method == DriftMethod.ChiSquare));
        Assert.Equal(DriftMethod.ChiSquare, Assert.Single(column.Tests).Method); // warned about, still deciding
    }

    [Theory]
    // 20,000 values a side; each singleton's share, 5e-5, is under the 1e-4 floor.
    [InlineData(18_000, 2_000, false)] // singletons hold 10% of the values: not over
    [InlineData(17_000, 3_000, true)] // 15%
    public void Psi_is_blind_when_categories_under_its_floor_hold_over_10_percent_of_a_side(int common, int singletons, bool blind)
    {
        string?[] reference = [.. Enumerable.Repeat("a", common), .. Enumerable.Range(0, singletons).Select(i => $"r{i}")];
        string?[] current = [.. Enumerable.Repeat("a", common), .. Enumerable.Range(0, singletons).Select(i => $"c{i}")];

        var column = Categorical(reference, current, DriftMethod.Psi);

        Assert.Equal(blind, column.Warnings.Any(w => w.Method == DriftMethod.Psi));
        Assert.DoesNotContain(column.Warnings, w => w.Method == DriftMethod.ChiSquare); // not reported, so not judged
    }

    [Fact]
    public void Folding_keeps_the_largest_categories_in_their_order_and_sums_the_rest()
    {
        // shares: a .1/.1, b .4/.1, c .1/.4, d .2/.2, e .2/.2 → b and c (0.5 each), then d (0.4, before e by label)
        var column = Categorical(Labelled([10, 40, 10, 20, 20]), Labelled([10, 10, 40, 20, 20]), DriftMethod.JensenShannon);
        var folded = Histograms.TopCategories(Assert.Single(column.Histograms), 3);

        Assert.Equal(["b", "c", "d", "other (2 categories)"], folded.Bins.Select(b => b.Label));
        Assert.Equal([40L, 10, 20, 30], folded.Bins.Select(b => b.Reference));
        Assert.Equal([10L, 40, 20, 30], folded.Bins.Select(b => b.Current));
        Assert.Same(column.Histograms[0], Histograms.TopCategories(column.Histograms[0], 4)); // one left over: nothing to fold
    }

    [Fact]
    public void A_monitor_sets_k_and_by_default_keeps_the_engine_default()
    {
        Assert.Equal(7, DriftRunner.Options(new DriftMonitorSettings(MaxHistogramCategories: 7)).MaxHistogramCategories);
        Assert.Equal(DriftOptions.Default.MaxHistogramCategories, DriftRunner.Options(new DriftMonitorSettings()).MaxHistogramCategories);
        Assert.Equal(DriftOptions.Default.MaxHistogramCategories, DriftMonitorSettings.FromJson("{}").MaxHistogramCategories); // monitors saved before K
    }

    /// <summary>Counts over categories a, b, c, … as values.</summary>
    private static string?[] Labelled(long[] counts) =>
        Repeat([.. counts.Select((n, k) => ((string?)((char)('a' + k)).ToString(), (int)n))]);
}
