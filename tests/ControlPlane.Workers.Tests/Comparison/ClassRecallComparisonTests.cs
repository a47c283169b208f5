using ControlPlane.Workers.Comparison;

namespace ControlPlane.Workers.Tests.Comparison;

/// <summary>A multiclass shadow comparison tests each true class's recall with McNemar, Holm-adjusted over the classes.</summary>
public sealed class ClassRecallComparisonTests
{
    [Fact]
    public void Each_class_gets_a_paired_recall_test_with_holm_adjusted_p_values()
    {
        // Pairs per true class: both right, champion only right (b), challenger only right (c), both wrong.
        var rows = new List<(ComparisonRow Champion, ComparisonRow Challenger)>();
        Add(rows, "cat", bothRight: 18, championOnly: 2, challengerOnly: 7, bothWrong: 3, wrong: "dog");
        Add(rows, "dog", bothRight: 10, championOnly: 5, challengerOnly: 1, bothWrong: 4, wrong: "cat");
        Add(rows, "emu", bothRight: 10, championOnly: 0, challengerOnly: 0, bothWrong: 0, wrong: "cat");

        var result = ComparisonCalculator.Compute(new ComparisonRows(1, true, rows.Select(r => r.Champion).ToList(), rows.Select(r => r.Challenger).ToList()), 2, 0.05);

        var byMetric = result.Tests.ToDictionary(t => t.Metric);
        Assert.Equal(["accuracy", "recall[cat]", "recall[dog]", "recall[emu]"], byMetric.Keys.Order(StringComparer.Ordinal));
        var cat = byMetric["recall[cat]"];
        Assert.Equal(20.0 / 30, cat.Champion, 12);
        Assert.Equal(25.0 / 30, cat.Challenger, 12);
        Assert.Equal(5.0 / 30, cat.Difference, 12);
        Assert.Contains("Holm over 3 classes", cat.Test);
        // Exact McNemar by hand (Bin(b + c, ½)): cat b=2, c=7 → 2·P(X ≤ 2 | 9) = 2·46/512 = 0.1796875; dog b=5, c=1 →
        // 2·P(X ≤ 1 | 6) = 14/64 = 0.21875; emu has no discordant pair → 1. Holm (m = 3): 3·0.1796875 = 0.5390625,
        // max(0.5390625, 2·0.21875) = 0.5390625, 1.
        Assert.Equal(0.5390625, cat.PValue, 12);
        Assert.Equal(0.5390625, byMetric["recall[dog]"].PValue, 12);
        Assert.Equal(1.0, byMetric["recall[emu]"].PValue, 12);
        // One-sided "challenger worse": P(X ≥ b): cat 1 − 10/512 = 0.98046875, dog 7/64 = 0.109375, emu 1.
        // Holm: 3·0.109375 = 0.328125 (dog), then min(1, 2·0.98046875) = 1 (cat), 1 (emu).
        Assert.Equal(0.328125, byMetric["recall[dog]"].PWorse, 12);
        Assert.Equal(1.0, cat.PWorse, 12);
        Assert.Equal(15.0 / 20, byMetric["recall[dog]"].Champion, 12);
        Assert.Equal(11.0 / 20, byMetric["recall[dog]"].Challenger, 12);
        // Overall accuracy: b = 7, c = 8 over 60 pairs, unadjusted: 2·P(X ≤ 7 | 15) = 1.
        Assert.Equal(1.0 / 60, byMetric["accuracy"].Difference, 12);
        Assert.Equal(1.0, byMetric["accuracy"].PValue, 12);
        Assert.DoesNotContain("Holm", byMetric["accuracy"].Test);
    }

    [Fact]
    public void A_class_that_only_one_side_has_rows_of_is_not_tested()
    {
        // Canary: unpaired, the challenger never saw an "emu".
        List<ComparisonRow> champion = [Row("1", "cat", "cat"), Row("2", "dog", "dog"), Row("3", "cat", "emu")];
        List<ComparisonRow> challenger = [Row("4", "cat", "cat"), Row("5", "cat", "dog")];

        var result = ComparisonCalculator.Compute(new ComparisonRows(1, false, champion, challenger), 2, 0.05);

        Assert.Equal(["accuracy", "recall[cat]", "recall[dog]"], result.Tests.Select(t => t.Metric).Order(StringComparer.Ordinal));
    }

    private static void Add(List<(ComparisonRow, ComparisonRow)> rows, string truth, int bothRight, int championOnly, int challengerOnly, int bothWrong, string wrong)
    {
        void Pairs(int count, bool championRight, bool challengerRight)
        {
            for (var i = 0; i < count; i++)
            {
                var id = $"{truth}-{rows.Count}";
                rows.Add((Row(id, championRight ? truth : wrong, truth), Row(id, challengerRight ? truth : wrong, truth)));
            }
        }
        Pairs(bothRight, true, true);
        Pairs(championOnly, true, false);
        Pairs(challengerOnly, false, true);
        Pairs(bothWrong, false, false);
    }

    /// <summary>A labelled prediction: what the model said (label) and the truth (actual).</summary>
    private static ComparisonRow Row(string id, string label, string actual) => new(id, label, null, null, 5, false, actual, null);
}
