using ControlPlane.Workers.Drift.Statistics;
using static ControlPlane.Workers.Tests.Drift.DriftTestData;

namespace ControlPlane.Workers.Tests.Drift;

/// <summary>
/// Chi-square against scipy 1.10.1: <c>chi2, p, dof, _ = scipy.stats.chi2_contingency(np.array([rc, cc]), correction=False)</c>
/// with the counts over the union of categories in ordinal order.
/// </summary>
public sealed class ChiSquareTests
{
    [Fact]
    public void Categories_with_unseen_values_on_both_sides()
    {
        // rc = [40, 30, 20, 10, 0], cc = [30, 30, 25, 0, 15]: chi2 26.984126984126984, p 2.00263362557564e-05, dof 4
        var chi = Categorical(
            Repeat(("a", 40), ("b", 30), ("c", 20), ("d", 10)),
            Repeat(("a", 30), ("b", 30), ("c", 25), ("e", 15)),
            DriftMethod.ChiSquare).Test(DriftMethod.ChiSquare);

        Close.Relative(26.984126984126984, chi.Statistic, 1e-14);
        Close.Relative(2.00263362557564e-05, chi.PValue, 1e-12);
        Assert.True(chi.Drifted);
    }

    [Fact]
    public void Numerical_values_as_categories()
    {
        // rc = [10, 20, 30, 40, 0], cc = [25, 25, 25, 20, 5]: chi2 19.105339105339105, p 0.0007493602716242358
        var chi = Numerical(
            Repeat((1.0, 10), (2.0, 20), (3.0, 30), (4.0, 40)),
            Repeat((1.0, 25), (2.0, 25), (3.0, 25), (4.0, 20), (5.0, 5)),
            DriftMethod.ChiSquare).Test(DriftMethod.ChiSquare);

        Close.Relative(19.105339105339105, chi.Statistic, 1e-14);
        Close.Relative(0.0007493602716242358, chi.PValue, 1e-12);
    }

    [Fact]
    public void A_tiny_p_value_keeps_its_magnitude_instead_of_rounding_to_zero()
    {
        // rc = [900, 100], cc = [100, 900]: chi2 1280.0, p 2.509158096763556e-280
        var chi = Categorical(Repeat(("x", 900), ("y", 100)), Repeat(("x", 100), ("y", 900)), DriftMethod.ChiSquare)
            .Test(DriftMethod.ChiSquare);

        Assert.Equal(1280.0, chi.Statistic, 1e-9);
        Close.Relative(2.509158096763556e-280, chi.PValue, 1e-10);
    }

    [Fact]
    public void A_single_shared_category_is_scipys_degenerate_case()
    {
        var chi = Categorical(Repeat(("x", 40)), Repeat(("x", 30)), DriftMethod.ChiSquare).Test(DriftMethod.ChiSquare);

        Assert.Equal((0.0, 1.0), (chi.Statistic, chi.PValue!.Value));
        Assert.False(chi.Drifted);
    }
}
