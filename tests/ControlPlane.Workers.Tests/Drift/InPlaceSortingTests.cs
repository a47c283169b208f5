using ControlPlane.Workers.Drift.Statistics;

namespace ControlPlane.Workers.Tests.Drift;

/// <summary>The engine sorts numeric inputs in place to hold one copy of the data; sharing or reusing inputs stays correct.</summary>
public sealed class InPlaceSortingTests
{
    private static double[] Values(int n, double shift) =>
        [.. Enumerable.Range(0, n).Select(i => i % 13 == 0 ? double.NaN : ((i * 7919) % 10007) / 100.0 + shift)];

    [Fact]
    public void One_array_given_as_both_sides_is_no_drift_and_is_left_as_it_was()
    {
        var values = Values(50_000, 0); // above the radix-sort threshold
        var before = values.ToArray();
        var input = DriftColumnInput.Numerical("x", values);

        var result = DriftEngine.Compare([input], [DriftColumnInput.Numerical("x", values)]);

        var test = result.Columns[0].Tests[0]; // over 1,000 reference values: normalized Wasserstein
        Assert.Equal((DriftMethod.Wasserstein, 0.0, false), (test.Method, test.Statistic, test.Drifted));
        Assert.Equal(before, values);
    }

    [Fact]
    public void An_input_compared_twice_gives_the_same_answer_although_its_array_was_sorted_in_place()
    {
        var reference = DriftColumnInput.Numerical("x", Values(50_000, 0));
        var first = DriftEngine.Compare([reference], [DriftColumnInput.Numerical("x", Values(50_000, 0.5))]).Columns[0];
        var second = DriftEngine.Compare([reference], [DriftColumnInput.Numerical("x", Values(50_000, 0.5))]).Columns[0];

        Assert.Equal(first.Tests[0].Statistic, second.Tests[0].Statistic);
        Assert.Equal(first.ReferenceMissingShare, second.ReferenceMissingShare);
        Assert.Equal(1.0 / 13, first.ReferenceMissingShare, 3);
    }
}
