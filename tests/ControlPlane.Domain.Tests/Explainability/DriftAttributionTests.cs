using ControlPlane.Domain.Explainability;

namespace ControlPlane.Domain.Tests.Explainability;

public sealed class DriftAttributionTests
{
    private static readonly ModelImportance Importance = new(Guid.NewGuid(), "rocAuc",
        [("score", 0.40), ("income", 0.20), ("age", 0.01), ("zip", -0.005)]);

    [Fact]
    public void Columns_are_ordered_by_importance_times_drift_with_each_features_rank()
    {
        // income: 0.20 × 0.30 = 0.06; score: 0.40 × 0.05 = 0.02; age: 0.01 × 0.50 = 0.005; zip: a negative importance
        // counts as 0 → 0; region is not a model input → no score, last.
        (string, bool, double?)[] columns = [("age", true, 0.5), ("zip", true, 0.9), ("region", true, 0.95), ("income", true, 0.3), ("score", false, 0.05)];

        var view = DriftAttributionView.Build(columns, Importance);

        Assert.Equal(["income", "score", "age", "zip", "region"], view.Columns.Select(c => c.Column));
        var income = view.Columns[0];
        Assert.Equal((2, 0.20), (income.ImportanceRank!.Value, income.Importance!.Value));
        Assert.Equal(0.06, income.Score!.Value, 12);
        Assert.Equal(0, view.Columns[3].Score);
        Assert.Null(view.Columns[4].ImportanceRank);
        Assert.Null(view.Columns[4].Score);
        Assert.Equal((4, "rocAuc", (string?)null), (view.RankedFeatures, view.Metric, view.Note));
    }

    [Fact]
    public void Without_importance_the_note_says_so_and_columns_follow_drift()
    {
        var view = DriftAttributionView.Build([("a", false, 0.1), ("b", true, 0.7), ("c", false, null)], null);

        Assert.Equal(DriftAttributionView.NoImportanceYet, view.Note);
        Assert.Equal(["b", "a", "c"], view.Columns.Select(c => c.Column));
        Assert.All(view.Columns, c => Assert.Null(c.Importance));
    }

    [Fact]
    public void Drift_magnitudes_are_effect_sizes_in_zero_to_one()
    {
        Assert.Equal(0.42, DriftMagnitude.Of("KolmogorovSmirnov", 0.42, 100, 100, null));
        // Cramér's V of a 2 × k table: √(χ² / N) = √(25 / 100).
        Assert.Equal(0.5, DriftMagnitude.Of("ChiSquare", 25, 40, 60, null)!.Value, 12);
        // PSI is unbounded: the Jensen–Shannon distance over the bins replaces it. Shares (½, ½) against (1, 0):
        // m = (¾, ¼); JSD = ½[½·log₂(½/¾) + ½·log₂(½/¼)] + ½[1·log₂(1/¾)] = 0.311278, distance √0.311278 = 0.557923.
        Assert.Equal(0.557923, DriftMagnitude.Of("Psi", 2.3, 4, 2, [(2, 2), (2, 0)])!.Value, 6);
        Assert.Equal(1, DriftMagnitude.JensenShannon([(5, 0), (0, 5)])!.Value, 12);
        Assert.Equal(0, DriftMagnitude.JensenShannon([(3, 6), (1, 2)])!.Value, 12);
        Assert.Null(DriftMagnitude.Of("Wasserstein", 1.2, 10, 10, null));
    }

    [Fact]
    public void A_production_windows_features_give_their_drift_against_the_reference_as_an_effect_size()
    {
        var result = new ControlPlane.Domain.Production.ProductionWindowResult
        {
            Features =
            [
                new("income", "numerical", 500, 0, new("KolmogorovSmirnov", 0.31, 0.001, 0.002, true, 1000, 500), null),
                new("region", "categorical", 500, 0, new("ChiSquare", 37.5, 0.01, 0.02, true, 1000, 500), null),
                new("age", "numerical", 500, 0, null, null),
            ],
        };

        var columns = ControlPlane.Domain.Explainability.WindowAttribution.Columns(result).ToList();

        Assert.Equal(("income", true, 0.31), (columns[0].Column, columns[0].Drifted, columns[0].Drift!.Value));
        Assert.Equal(0.158114, columns[1].Drift!.Value, 6); // √(37.5 / 1500)
        Assert.Equal(("age", false, (double?)null), columns[2]);
    }

    [Fact]
    public void Importance_is_read_from_an_evaluations_details_most_important_first()
    {
        var id = Guid.NewGuid();
        const string details = """{"slices":[],"importance":{"metric":"-rmse","features":[{"feature":"a","mean":0.1},{"feature":"b","mean":0.3}]}}""";

        var importance = ModelImportance.Parse(id, details)!;

        Assert.Equal(("-rmse", id), (importance.Metric, importance.EvaluationId));
        Assert.Equal([("b", 0.3), ("a", 0.1)], importance.Features);
        Assert.Null(ModelImportance.Parse(id, """{"slices":[]}"""));
        Assert.Null(ModelImportance.Parse(id, """{"importance":{"metric":null,"features":[],"note":"scored by ML.NET"}}"""));
    }
}
