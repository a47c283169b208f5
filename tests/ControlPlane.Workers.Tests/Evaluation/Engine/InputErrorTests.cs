using ControlPlane.Domain.Datasets;
using ControlPlane.TestModels;
using ControlPlane.Workers.Evaluation.Engine;

namespace ControlPlane.Workers.Tests.Evaluation.Engine;

/// <summary>Input that can never evaluate fails with <see cref="EvaluationInputException"/> naming the column, row or value.</summary>
public sealed class InputErrorTests : IDisposable
{
    private readonly EvaluationFiles _files = new("cp-eval-errors");
    private readonly OnnxEvaluator _evaluator = new();

    [Fact]
    public async Task A_column_the_model_needs_but_the_dataset_lacks_is_named()
    {
        var data = _files.Csv("Size,Color,Label", ["0.5,red,true"]);
        var input = await EvaluationFiles.InputAsync(_files.Model(MlNetModels.TrainBinaryClassifierOnColumns().Onnx), data, label: "Label");

        var error = await RunExpectingErrorAsync(input);

        Assert.Contains("'Weight'", error.Message);
        Assert.Contains("no column", error.Message);
    }

    [Fact]
    public async Task A_column_of_the_wrong_type_is_named_with_both_types()
    {
        var data = _files.Csv("Size,Weight,Color,Label", ["big,0.5,red,true", "small,0.1,blue,false"]);
        var input = await EvaluationFiles.InputAsync(_files.Model(MlNetModels.TrainBinaryClassifierOnColumns().Onnx), data, label: "Label");

        var error = await RunExpectingErrorAsync(input);

        Assert.Contains("'Size'", error.Message);
        Assert.Contains("Categorical", error.Message);
    }

    [Fact]
    public async Task Too_few_feature_columns_for_the_feature_vector_is_refused_with_the_counts()
    {
        var data = _files.Csv("x0,x1,y", ["1,2,0"]);
        var input = await EvaluationFiles.InputAsync(_files.Model(HandBuiltOnnx.LogisticRegressionWithZipMap([1f, 2f, 3f], 0f)), data);

        var error = await RunExpectingErrorAsync(input);

        Assert.Contains("3 features", error.Message);
        Assert.Contains("2 feature columns", error.Message);
    }

    [Fact]
    public async Task A_label_the_model_does_not_know_is_named_with_its_row()
    {
        var rows = Enumerable.Range(0, 20).Select(i => $"1,2,3,{(i == 12 ? "2" : "1")}");
        var input = await EvaluationFiles.InputAsync(_files.Model(HandBuiltOnnx.LogisticRegressionWithZipMap([1f, 2f, 3f], 0f)), _files.Csv("x0,x1,x2,y", rows), batchSize: 5);

        var error = await RunExpectingErrorAsync(input);

        Assert.Contains("'2'", error.Message);
        Assert.Contains("data row 13", error.Message);
        Assert.Contains("0, 1", error.Message);
    }

    [Fact]
    public async Task A_text_label_the_model_does_not_know_is_named_with_its_row()
    {
        string[] classes = ["ant", "moth"];
        var rows = new[] { "1,2,ant", "1,2,moth", "1,2,wasp" };
        var model = HandBuiltOnnx.StringClassifierWithZipMap(classes, [[1f, 0f], [0f, 1f]], [0f, 0f]);
        var input = await EvaluationFiles.InputAsync(_files.Model(model), _files.Csv("x0,x1,y", rows));

        var error = await RunExpectingErrorAsync(input);

        Assert.Contains("'wasp'", error.Message);
        Assert.Contains("data row 3", error.Message);
    }

    [Fact]
    public async Task A_missing_label_is_refused_with_its_row()
    {
        var input = await EvaluationFiles.InputAsync(_files.Model(HandBuiltOnnx.LinearRegressor([1f], 0f)), _files.Csv("x0,y", ["1,1", "2,", "3,3"]));

        var error = await RunExpectingErrorAsync(input);

        Assert.Contains("'y'", error.Message);
        Assert.Contains("data row 2", error.Message);
    }

    [Theory]
    [InlineData("", "missing")]
    [InlineData("2.5", "whole numbers")]
    public async Task An_int64_input_refuses_a_missing_or_fractional_value_naming_column_and_row(string cell, string reason)
    {
        var input = await EvaluationFiles.InputAsync(_files.Model(HandBuiltOnnx.CastInt64ToFloat()), _files.Csv("count,y", ["1,1", "2,2", "3,3", $"{cell},4"]));

        var error = await RunExpectingErrorAsync(input);

        Assert.Contains("'count'", error.Message);
        Assert.Contains("data row 4", error.Message);
        Assert.Contains(reason, error.Message);
    }

    [Fact]
    public async Task An_int64_input_takes_whole_numbers()
    {
        var input = await EvaluationFiles.InputAsync(_files.Model(HandBuiltOnnx.CastInt64ToFloat()), _files.Csv("count,y", ["1,1", "-2,2", "30,3"]));
        var sink = new CollectingSink();

        await _evaluator.RunAsync(input, sink, null, CancellationToken.None);

        Assert.Equal([1f, -2f, 30f], sink.PredictedValues);
    }

    [Fact]
    public async Task A_corrupt_model_is_an_input_error()
    {
        var whole = HandBuiltOnnx.SoftmaxClassifier([[1f, 2f]], [0f, 0f]);
        var input = await EvaluationFiles.InputAsync(_files.Model(whole[..(whole.Length - 9)]), _files.Csv("x0,y", ["1,0"]));

        var error = await RunExpectingErrorAsync(input);

        Assert.Contains("model", error.Message);
    }

    [Fact]
    public async Task An_empty_model_file_is_an_input_error()
    {
        var input = await EvaluationFiles.InputAsync(_files.Model([]), _files.Csv("x0,y", ["1,0"]));

        var error = await RunExpectingErrorAsync(input);

        Assert.Contains("empty", error.Message);
    }

    [Fact]
    public async Task An_output_chosen_by_a_name_the_model_lacks_lists_the_outputs()
    {
        var input = await EvaluationFiles.InputAsync(_files.Model(HandBuiltOnnx.SoftmaxClassifier([[1f, 2f]], [0f, 0f])), _files.Csv("x0,y", ["1,0"]))
            with { ProbabilityOutput = "scores" };

        var error = await RunExpectingErrorAsync(input);

        Assert.Contains("'scores'", error.Message);
        Assert.Contains("probabilities, label", error.Message);
    }

    [Fact]
    public async Task A_label_column_missing_from_the_schema_is_named()
    {
        var input = await EvaluationFiles.InputAsync(_files.Model(HandBuiltOnnx.LinearRegressor([1f], 0f)), _files.Csv("x0,y", ["1,1"])) with { LabelColumn = "target" };

        var error = await RunExpectingErrorAsync(input);

        Assert.Contains("'target'", error.Message);
    }

    [Fact]
    public async Task A_regression_label_column_of_text_is_refused()
    {
        var data = _files.Csv("x0,y", ["1,high", "2,low"]);
        var input = await EvaluationFiles.InputAsync(_files.Model(HandBuiltOnnx.LinearRegressor([1f], 0f)), data);

        var error = await RunExpectingErrorAsync(input);

        Assert.Contains("'y'", error.Message);
        Assert.Contains(nameof(ColumnType.Categorical), error.Message);
    }

    private async Task<EvaluationInputException> RunExpectingErrorAsync(EvaluationInput input) =>
        await Assert.ThrowsAsync<EvaluationInputException>(() => _evaluator.RunAsync(input, new CollectingSink(), null, CancellationToken.None));

    public void Dispose() => _files.Dispose();
}
