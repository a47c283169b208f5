using ControlPlane.Workers.Drift.Statistics;
using static ControlPlane.Workers.Tests.Drift.DriftTestData;

namespace ControlPlane.Workers.Tests.Drift;

public sealed class DriftEngineTests
{
    [Fact]
    public void Default_method_follows_the_column_kind_distinct_values_and_reference_size()
    {
        var categories = new[] { "a", "b", "c", "d", "e", "f" };
        string?[] Labels(int n) => Enumerable.Range(0, n).Select(i => categories[i % 6]).ToArray();
        DriftColumnInput[] Columns() =>
        [
            DriftColumnInput.Numerical("numbers, 1000", Range(0, 1000)),
            DriftColumnInput.Numerical("numbers, 1001", Range(0, 1001)),
            DriftColumnInput.Numerical("five values", Enumerable.Range(0, 1000).Select(i => (double)(i % 5)).ToArray()),
            DriftColumnInput.Numerical("six values", Enumerable.Range(0, 1000).Select(i => (double)(i % 6)).ToArray()),
            DriftColumnInput.Categorical("labels, 1000", Labels(1000)),
            DriftColumnInput.Categorical("labels, 1001", Labels(1001)),
        ];

        var result = DriftEngine.Compare(Columns(), Columns());

        Assert.Equal(
            [DriftMethod.KolmogorovSmirnov, DriftMethod.Wasserstein, DriftMethod.ChiSquare, DriftMethod.KolmogorovSmirnov, DriftMethod.ChiSquare, DriftMethod.JensenShannon],
            result.Columns.Select(c => Assert.Single(c.Tests).Method));
        Assert.All(result.Columns, c => Assert.Equal(DriftStatus.Ok, c.Status));
        Assert.Equal((false, 0.0), (result.DatasetDrift, result.DriftShare));
    }

    [Fact]
    public void Too_few_present_values_on_either_side_gives_insufficient_data_and_no_verdict()
    {
        double[] twentyNinePresent = [.. Range(0, 29), double.NaN, double.NaN];

        var result = DriftEngine.Compare(
            [DriftColumnInput.Numerical("short reference", twentyNinePresent), DriftColumnInput.Numerical("short current", Range(0, 100))],
            [DriftColumnInput.Numerical("short reference", Range(0, 100)), DriftColumnInput.Numerical("short current", twentyNinePresent)]);

        Assert.All(result.Columns, c =>
        {
            Assert.Equal(DriftStatus.InsufficientData, c.Status);
            Assert.Empty(c.Tests);
            Assert.False(c.Drifted);
        });
        Assert.Equal((29, 2.0 / 31), (result.Columns[0].ReferenceCount, result.Columns[0].ReferenceMissingShare));
        Assert.Equal((false, 0.0), (result.DatasetDrift, result.DriftShare));
    }

    [Fact]
    public void All_missing_columns_report_a_missing_share_of_one()
    {
        var result = DriftEngine.Compare(
            [DriftColumnInput.Numerical("n", [double.NaN, double.NaN]), DriftColumnInput.Categorical("c", [null, null, null])],
            [DriftColumnInput.Numerical("n", Range(0, 50)), DriftColumnInput.Categorical("c", Repeat(("a", 50)))]);

        Assert.All(result.Columns, c =>
        {
            Assert.Equal(DriftStatus.InsufficientData, c.Status);
            Assert.Equal((0, 1.0, 0.0), (c.ReferenceCount, c.ReferenceMissingShare, c.CurrentMissingShare));
            Assert.Empty(c.Histograms);
        });
    }

    [Fact]
    public void NaN_and_infinities_are_missing_and_left_out_of_every_test()
    {
        double[] withGaps = [.. Range(0, 40), double.NaN, double.PositiveInfinity, double.NegativeInfinity, double.NaN];

        var gaps = Numerical(withGaps, Range(100, 140), DriftMethod.KolmogorovSmirnov, DriftMethod.Wasserstein);
        var clean = Numerical(Range(0, 40), Range(100, 140), DriftMethod.KolmogorovSmirnov, DriftMethod.Wasserstein);

        Assert.Equal(4.0 / 44, gaps.ReferenceMissingShare);
        Assert.Equal(clean.Tests, gaps.Tests);
    }

    [Fact]
    public void Identical_constant_columns_do_not_drift_and_divide_by_nothing()
    {
        var column = Numerical(Repeat((3.0, 40)), Repeat((3.0, 40)), DriftMethod.KolmogorovSmirnov,
            DriftMethod.Wasserstein, DriftMethod.Psi, DriftMethod.JensenShannon, DriftMethod.ChiSquare);

        var ks = column.Test(DriftMethod.KolmogorovSmirnov);
        Assert.Equal((0.0, 1.0), (ks.Statistic, ks.PValue!.Value));
        Assert.Equal((0.0, 0.0), (column.Test(DriftMethod.Wasserstein).Statistic, column.Test(DriftMethod.Wasserstein).Normalized!.Value));
        Assert.Equal(0.0, column.Test(DriftMethod.Psi).Statistic);
        Assert.Equal(0.0, column.Test(DriftMethod.JensenShannon).Statistic);
        Assert.Equal(1.0, column.Test(DriftMethod.ChiSquare).PValue);
        Assert.All(column.Tests, t => Assert.False(t.Drifted));
    }

    [Fact]
    public void Two_different_constants_drift_completely()
    {
        var column = Numerical(Repeat((3.0, 40)), Repeat((4.0, 40)), DriftMethod.KolmogorovSmirnov, DriftMethod.Wasserstein);

        var ks = column.Test(DriftMethod.KolmogorovSmirnov);
        Assert.Equal(1.0, ks.Statistic);
        // ks_2samp([3.0]*40, [4.0]*40).pvalue = 2/C(80, 40)
        Close.Relative(1.860340365603627e-23, ks.PValue, 1e-12);
        Assert.Equal((1.0, 1000.0), (column.Test(DriftMethod.Wasserstein).Statistic, column.Test(DriftMethod.Wasserstein).Normalized!.Value));
        Assert.All(column.Tests, t => Assert.True(t.Drifted));
    }

    [Fact]
    public void Dataset_drift_is_the_share_of_drifted_columns_among_those_judged()
    {
        DriftColumnInput[] Reference() =>
        [
            DriftColumnInput.Numerical("shifted", Range(0, 500)),
            DriftColumnInput.Numerical("also shifted", Range(0, 500)),
            DriftColumnInput.Numerical("steady", Range(0, 500)),
            DriftColumnInput.Numerical("short", Range(0, 10)),
        ];
        DriftColumnInput[] Current() =>
        [
            DriftColumnInput.Numerical("shifted", Range(0, 500, shift: 0.3)),
            DriftColumnInput.Numerical("also shifted", Range(0, 500, shift: -0.3)),
            DriftColumnInput.Numerical("steady", Range(1000, 1500)),
            DriftColumnInput.Numerical("short", Range(0, 10, shift: 5)),
        ];

        var result = DriftEngine.Compare(Reference(), Current());
        var strict = DriftEngine.Compare(Reference(), Current(), new DriftOptions { DriftShareThreshold = 0.7 });

        Assert.Equal([DriftStatus.Drifted, DriftStatus.Drifted, DriftStatus.Ok, DriftStatus.InsufficientData], result.Columns.Select(c => c.Status));
        Assert.Equal((true, 2.0 / 3), (result.DatasetDrift, result.DriftShare));
        Assert.False(strict.DatasetDrift);
    }

    [Fact]
    public void Benjamini_Hochberg_adjusts_every_p_value_of_the_run_and_judges_on_the_adjusted_ones()
    {
        // ks_2samp p-values: 0.03827938797297259 (g(np.arange(10001)) vs g(np.arange(30)) + 0.2) and
        // 0.2521145633206476 (the tied 10 vs 15 sample); BH: [0.07655877594594518, 0.2521145633206476].
        double[] tiedA = [0.1, 0.2, 0.2, 0.3, 0.5, 0.5, 0.7, 0.9, 1.1, 1.3];
        double[] tiedB = [0.2, 0.4, 0.5, 0.5, 0.6, 0.8, 0.8, 1.0, 1.2, 1.4, 1.5, 1.6, 1.7, 1.9, 2.0];
        DriftColumnInput[] Reference() => [DriftColumnInput.Numerical("a", Range(0, 10001)), DriftColumnInput.Numerical("b", tiedA)];
        DriftColumnInput[] Current() => [DriftColumnInput.Numerical("a", Range(0, 30, shift: 0.2)), DriftColumnInput.Numerical("b", tiedB)];
        var options = new DriftOptions
        {
            MinimumValues = 1,
            Columns = new Dictionary<string, ColumnDriftSettings>
            {
                ["a"] = new(DriftMethod.KolmogorovSmirnov),
                ["b"] = new(DriftMethod.KolmogorovSmirnov),
            },
        };

        var raw = DriftEngine.Compare(Reference(), Current(), options);
        var adjusted = DriftEngine.Compare(Reference(), Current(), options with { BenjaminiHochberg = true });

        Assert.True(raw.Columns[0].Drifted);
        Assert.Null(raw.Columns[0].Tests[0].AdjustedPValue);
        Assert.False(adjusted.Columns[0].Drifted);
        Assert.Equal(DriftStatus.Ok, adjusted.Columns[0].Status);
        Close.Relative(0.07655877594594518, adjusted.Columns[0].Tests[0].AdjustedPValue, 1e-12);
        Close.Relative(0.2521145633206476, adjusted.Columns[1].Tests[0].AdjustedPValue, 1e-12);
    }

    [Fact]
    public void Extra_methods_are_reported_after_the_deciding_one_where_they_apply()
    {
        var options = new DriftOptions
        {
            AlsoReport = [DriftMethod.KolmogorovSmirnov, DriftMethod.Wasserstein, DriftMethod.Psi, DriftMethod.JensenShannon],
        };
        DriftColumnInput[] Columns() => [DriftColumnInput.Numerical("n", Range(0, 2000)), DriftColumnInput.Categorical("c", Repeat(("a", 60), ("b", 40)))];

        var result = DriftEngine.Compare(Columns(), Columns(), options);

        Assert.Equal([DriftMethod.Wasserstein, DriftMethod.KolmogorovSmirnov, DriftMethod.Psi, DriftMethod.JensenShannon],
            result.Columns[0].Tests.Select(t => t.Method));
        Assert.Equal([DriftMethod.ChiSquare, DriftMethod.Psi, DriftMethod.JensenShannon], result.Columns[1].Tests.Select(t => t.Method));
    }

    [Fact]
    public void A_column_threshold_overrides_the_default_for_its_deciding_method()
    {
        double[] tiedA = [0.1, 0.2, 0.2, 0.3, 0.5, 0.5, 0.7, 0.9, 1.1, 1.3];
        double[] tiedB = [0.2, 0.4, 0.5, 0.5, 0.6, 0.8, 0.8, 1.0, 1.2, 1.4, 1.5, 1.6, 1.7, 1.9, 2.0];
        var options = new DriftOptions
        {
            MinimumValues = 1,
            Columns = new Dictionary<string, ColumnDriftSettings> { ["x"] = new(DriftMethod.KolmogorovSmirnov, Threshold: 0.3) },
        };

        var column = Assert.Single(DriftEngine.Compare([DriftColumnInput.Numerical("x", tiedA)], [DriftColumnInput.Numerical("x", tiedB)], options).Columns);

        // p = 0.2521145633206476 < 0.3
        Assert.Equal((0.3, true), (column.Tests[0].Threshold, column.Drifted));
    }

    [Fact]
    public void A_presorted_reference_gives_the_same_result_as_raw_values()
    {
        var raw = Range(0, 5000);
        var cached = SortedSample.From(raw);

        var fromRaw = DriftEngine.Compare([DriftColumnInput.Numerical("x", raw)], [DriftColumnInput.Numerical("x", Range(0, 3000, shift: 0.01))]);
        var fromCache = DriftEngine.Compare([DriftColumnInput.Numerical("x", cached)], [DriftColumnInput.Numerical("x", Range(0, 3000, shift: 0.01))]);

        Assert.Equal(fromRaw.Columns[0].Tests, fromCache.Columns[0].Tests);
    }

    [Fact]
    public void Mismatched_columns_and_methods_are_refused()
    {
        DriftColumnInput[] numbers = [DriftColumnInput.Numerical("x", Range(0, 50))];
        DriftColumnInput[] labels = [DriftColumnInput.Categorical("x", Repeat(("a", 50)))];
        var ksOnLabels = new DriftOptions { Columns = new Dictionary<string, ColumnDriftSettings> { ["x"] = new(DriftMethod.KolmogorovSmirnov) } };

        Assert.Throws<ArgumentException>(() => DriftEngine.Compare(numbers, labels));
        Assert.Throws<ArgumentException>(() => DriftEngine.Compare(numbers, [DriftColumnInput.Numerical("y", Range(0, 50))]));
        Assert.Throws<ArgumentException>(() => DriftEngine.Compare([numbers[0], numbers[0]], numbers));
        Assert.Throws<ArgumentException>(() => DriftEngine.Compare(labels, labels, ksOnLabels));
    }
}
