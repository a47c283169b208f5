using ControlPlane.Domain.Datasets;
using ControlPlane.Domain.Registry;

namespace ControlPlane.Domain.Tests.Datasets;

public sealed class DatasetCompatibilityTests
{
    private static DatasetColumn Col(int ordinal, string name, ColumnType type, ColumnRole role = ColumnRole.Feature) => new(ordinal, name, type, type, role, 0);

    private static readonly IReadOnlyList<DatasetColumn> Credit =
    [
        Col(0, "id", ColumnType.Numerical, ColumnRole.Id), Col(1, "age", ColumnType.Numerical), Col(2, "income", ColumnType.Numerical),
        Col(3, "city", ColumnType.Categorical), Col(4, "default", ColumnType.Boolean, ColumnRole.Label),
    ];

    [Fact]
    public void A_single_matrix_input_takes_the_feature_columns_in_schema_order_and_must_match_their_count_and_be_numeric()
    {
        var model = new ModelSignature([new TensorSpec("float_input", "float", [-1, 3])], [new TensorSpec("label", "int64", [-1])]);

        var report = DatasetCompatibility.Check(Credit, model);

        Assert.True(report.FeatureVector);
        Assert.Equal(["age", "income", "city"], Assert.Single(report.Mappings).Columns);
        Assert.False(report.Compatible);
        Assert.Equal("Feature column 'city' is Categorical; input 'float_input' is a float tensor and needs numbers.", Assert.Single(report.Issues).Message);

        var numericOnly = Credit.Select(c => c.Name == "city" ? c with { Role = ColumnRole.Ignored } : c).ToList();
        var twoFeatures = DatasetCompatibility.Check(numericOnly, model);
        Assert.Equal("Input 'float_input' takes 3 features per row; the dataset has 2 feature columns.", Assert.Single(twoFeatures.Issues).Message);

        var dynamicWidth = new ModelSignature([new TensorSpec("x", "double", [-1, -1])], []);
        Assert.True(DatasetCompatibility.Check(numericOnly, dynamicWidth).Compatible);
    }

    [Fact]
    public void Named_inputs_read_columns_of_the_same_name_with_matching_types()
    {
        var model = new ModelSignature(
            [new TensorSpec("age", "float", [-1, 1]), new TensorSpec("city", "string", [-1, 1]), new TensorSpec("tenure", "int64", [-1, 1]), new TensorSpec("INCOME", "string", [-1, 1])],
            []);

        var report = DatasetCompatibility.Check(Credit, model);

        Assert.False(report.FeatureVector);
        Assert.False(report.Compatible);
        Assert.Equal(
            ["The model input 'tenure' (int64) has no column of that name in the dataset.", "Column 'income' is Numerical but the model input 'INCOME' is string."],
            report.Issues.Select(i => i.Message).ToArray());
        Assert.Equal([("age", "age"), ("city", "city"), ("INCOME", "income")], report.Mappings.Select(m => (m.Input, m.Columns.Single())).ToArray());
    }

    [Fact]
    public void Ml_net_schemas_match_by_column_name_and_a_missing_label_is_a_warning()
    {
        var model = new ModelSignature([new TensorSpec("age", "Single", [1]), new TensorSpec("city", "ReadOnlyMemory`1", [1])], []);
        var noLabel = Credit.Where(c => c.Role != ColumnRole.Label).ToList();

        var report = DatasetCompatibility.Check(noLabel, model);

        Assert.True(report.Compatible);
        var warning = Assert.Single(report.Issues);
        Assert.Equal(CompatibilitySeverity.Warning, warning.Severity);
        Assert.Contains("No column has the Label role", warning.Message);
    }

    [Fact]
    public void The_training_label_in_an_ml_net_schema_takes_the_label_column_without_a_warning_and_zero_one_labels_fit_a_boolean()
    {
        var model = new ModelSignature([new TensorSpec("age", "Single", [1]), new TensorSpec("default", "Boolean", [1])], []);
        var zeroOne = Credit.Select(c => c.Name == "default" ? c with { Type = ColumnType.Numerical } : c).ToList();

        var report = DatasetCompatibility.Check(zeroOne, model);

        Assert.True(report.Compatible);
        Assert.Empty(report.Issues);
        Assert.Equal([("age", "age"), ("default", "default")], report.Mappings.Select(m => (m.Input, m.Columns.Single())).ToArray());
        var numericFeature = zeroOne.Select(c => c.Name == "default" ? c with { Role = ColumnRole.Feature } : c).ToList();
        Assert.Contains("Column 'default' is Numerical but the model input 'default' is Boolean.",
            DatasetCompatibility.Check(numericFeature, model).Issues.Select(i => i.Message));
    }
}
