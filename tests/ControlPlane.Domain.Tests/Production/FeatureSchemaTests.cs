using ControlPlane.Domain.Datasets;
using ControlPlane.Domain.Production.Ingest;
using ControlPlane.Domain.Registry;

namespace ControlPlane.Domain.Tests.Production;

/// <summary>The features a version's prediction records must carry, from its training data or its signature.</summary>
public sealed class FeatureSchemaTests
{
    [Fact]
    public void The_training_datasets_feature_columns_in_file_order_and_nothing_else()
    {
        var columns = new[]
        {
            new DatasetColumn(2, "channel", ColumnType.Categorical, ColumnType.Categorical, ColumnRole.Feature, 0),
            new DatasetColumn(0, "id", ColumnType.Numerical, ColumnType.Numerical, ColumnRole.Id, 0),
            new DatasetColumn(1, "age", ColumnType.Numerical, ColumnType.Numerical, ColumnRole.Feature, 3),
            new DatasetColumn(3, "label", ColumnType.Boolean, ColumnType.Boolean, ColumnRole.Label, 0),
            new DatasetColumn(4, "opened", ColumnType.Text, ColumnType.DateTime, ColumnRole.Feature, 0),
        };

        var schema = FeatureSchema.FromDataset(columns);

        Assert.Equal([new FeatureSpec("age", ColumnType.Numerical), new FeatureSpec("channel", ColumnType.Categorical), new FeatureSpec("opened", ColumnType.DateTime)], schema.Features);
    }

    [Fact]
    public void Signature_inputs_one_column_each_or_one_per_element_of_a_wide_input()
    {
        var signature = new ModelSignature(
        [
            new TensorSpec("x", "float", [-1, 1]),
            new TensorSpec("city", "string", [-1]),
            new TensorSpec("v", "float", [-1, 3]),
            new TensorSpec("grid", "double", [-1, 2, 2]),
            new TensorSpec("open", "float", [-1, -1]),
            new TensorSpec("Text", "ReadOnlyMemory`1", [1]),
        ], []);

        var schema = FeatureSchema.FromSignature(signature);

        Assert.Equal(
            ["x", "city", "v_0", "v_1", "v_2", "grid_0", "grid_1", "grid_2", "grid_3", "open", "Text"],
            schema.Features.Select(f => f.Name));
        Assert.Equal([ColumnType.Categorical, ColumnType.Categorical],
            schema.Features.Where(f => f.Name is "city" or "Text").Select(f => f.Type));
        Assert.All(schema.Features.Where(f => f.Name is not ("city" or "Text")), f => Assert.True(f.IsNumeric));
    }
}
