using ControlPlane.Domain.Training;
using ControlPlane.Workers.Training;
using static ControlPlane.Domain.Training.TrainerCatalog;

namespace ControlPlane.Workers.Tests.Training;

/// <summary>
/// Real ML.NET training on generated data whose rules are known: each trainer of each task learns them (judged on a
/// separate test file with metrics computed here, not by ML.NET), the reported validation figures agree with that
/// independent check, and the same seed gives the same figures and predictions twice.
/// </summary>
public sealed class MlNetTrainerTests : IDisposable
{
    private readonly TrainingData _data = new();

    private static readonly (string, FeatureTreatment)[] ChurnFeatures =
        [("tenure", FeatureTreatment.Numerical), ("monthlyCharges", FeatureTreatment.Numerical), ("contract", FeatureTreatment.Categorical)];
    private static readonly (string, FeatureTreatment)[] SpeciesFeatures =
        [("petalLength", FeatureTreatment.Numerical), ("petalWidth", FeatureTreatment.Numerical), ("region", FeatureTreatment.Categorical)];
    private static readonly (string, FeatureTreatment)[] HouseFeatures =
        [("area", FeatureTreatment.Numerical), ("rooms", FeatureTreatment.Numerical), ("city", FeatureTreatment.Categorical)];

    public void Dispose() => _data.Dispose();

    private static Task<TrainedModel> TrainAsync(TrainingInput input) => MlNetTrainer.TrainAsync(input, null, CancellationToken.None);

    /// <summary>Trains twice; the figures must be the same both times.</summary>
    private static async Task<(TrainedModel First, TrainedModel Second)> TrainTwiceAsync(TrainingInput input)
    {
        var (first, second) = (await TrainAsync(input), await TrainAsync(input));
        Assert.Equal(first.Metrics, second.Metrics);
        return (first, second);
    }

    [Theory]
    [InlineData(LightGbm)]
    [InlineData(FastTree)]
    [InlineData(FastForest)]
    [InlineData(SdcaLogistic)]
    [InlineData(LbfgsLogistic)]
    public async Task Binary_trainers_learn_churn_and_repeat_themselves_with_the_same_seed(string trainer)
    {
        var input = await TrainingData.InputAsync(_data.Churn(1600, seed: 11), TrainingTask.Binary, "churned", trainer, ChurnFeatures);
        var test = input with { DataPath = _data.Churn(1000, seed: 12, "churn-test.csv") };

        var (first, second) = await TrainTwiceAsync(input);

        Assert.Equal((1200L, 400L), (first.TrainingRows, first.ValidationRows));
        var scored = await Scored.ScoreAsync(first, test);
        Assert.Equal(scored.Scores, (await Scored.ScoreAsync(second, test)).Scores);
        var accuracy = scored.BinaryAccuracy();
        Assert.True(accuracy > scored.MajorityRate() + 0.05, $"{trainer}: test accuracy {accuracy:F3}, majority class {scored.MajorityRate():F3}");
        Assert.True(Math.Abs(first.Metrics["accuracy"] - accuracy) < 0.06, $"{trainer}: validation accuracy {first.Metrics["accuracy"]:F3}, test {accuracy:F3}");
        Assert.InRange(first.Metrics["rocAuc"], 0.75, 1);
    }

    [Theory]
    [InlineData(LightGbm)]
    [InlineData(SdcaMaximumEntropy)]
    [InlineData(LbfgsMaximumEntropy)]
    public async Task Multiclass_trainers_name_the_classes_the_data_uses(string trainer)
    {
        var input = await TrainingData.InputAsync(_data.Species(900, seed: 21), TrainingTask.Multiclass, "species", trainer, SpeciesFeatures);
        var test = input with { DataPath = _data.Species(600, seed: 22, "species-test.csv") };

        var (model, _) = await TrainTwiceAsync(input);

        var scored = await Scored.ScoreAsync(model, test);
        Assert.Equal(["setosa", "versicolor", "virginica"], scored.PredictedClasses.Distinct().Order());
        var accuracy = scored.MulticlassAccuracy();
        Assert.True(accuracy > 0.9, $"{trainer}: test accuracy {accuracy:F3}");
        Assert.True(Math.Abs(model.Metrics["accuracy"] - accuracy) < 0.05, $"{trainer}: validation {model.Metrics["accuracy"]:F3}, test {accuracy:F3}");
    }

    [Theory]
    [InlineData(LightGbm)]
    [InlineData(FastTree)]
    [InlineData(FastForest)]
    [InlineData(Sdca)]
    [InlineData(LbfgsPoisson)]
    public async Task Regression_trainers_recover_house_prices_to_within_the_noise(string trainer)
    {
        var input = await TrainingData.InputAsync(_data.Houses(1600, seed: 31), TrainingTask.Regression, "price", trainer, HouseFeatures);
        var test = input with { DataPath = _data.Houses(1000, seed: 32, "houses-test.csv") };

        var (model, _) = await TrainTwiceAsync(input);

        var scored = await Scored.ScoreAsync(model, test);
        var (rmse, r2) = (scored.Rmse(), scored.R2());
        // The noise alone gives an RMSE of 8; the prices spread with a standard deviation of about 75.
        Assert.True(rmse < 3 * TrainingData.HouseNoise, $"{trainer}: test RMSE {rmse:F2}");
        Assert.True(r2 > 0.9, $"{trainer}: test R² {r2:F3}");
        Assert.True(Math.Abs(model.Metrics["r2"] - r2) < 0.05, $"{trainer}: validation R² {model.Metrics["r2"]:F3}, test {r2:F3}");
        Assert.Equal(model.Metrics["rmse"] * model.Metrics["rmse"], model.Metrics["mse"], 6);
    }

    [Fact]
    public async Task Cross_validation_reports_the_fold_mean_and_trains_the_final_model_on_every_row()
    {
        var input = await TrainingData.InputAsync(_data.Houses(800, seed: 41), TrainingTask.Regression, "price", Sdca, HouseFeatures, folds: 4);

        var (model, _) = await TrainTwiceAsync(input);

        Assert.Equal(4, model.Metrics["cvFolds"]);
        Assert.Equal((800L, 800L), (model.TrainingRows, model.ValidationRows));
        Assert.InRange(model.Metrics["rmse"], 4, 3 * TrainingData.HouseNoise);
    }

    [Fact]
    public async Task Rows_without_a_label_are_left_out_and_a_label_outside_0_and_1_fails_naming_its_row()
    {
        var path = _data.Path("labels.csv");
        await File.WriteAllTextAsync(path, "x,y\n1,0\n2,1\n3,\n4,0\n5,1\n6,2\n7,0\n");
        var input = await TrainingData.InputAsync(path, TrainingTask.Binary, "y", LightGbm, [("x", FeatureTreatment.Numerical)]);

        var error = await Assert.ThrowsAsync<TrainingInputException>(() => TrainAsync(input));

        Assert.Equal("The label 'y' is 2 at data row 6; a binary label is true/false or 0/1.", error.Message);
    }

    [Fact]
    public async Task A_different_seed_gives_a_different_model()
    {
        var input = await TrainingData.InputAsync(_data.Churn(600, seed: 51), TrainingTask.Binary, "churned", FastForest, ChurnFeatures);

        var a = await TrainAsync(input);
        var b = await TrainAsync(input with { Definition = input.Definition with { Seed = 8 } });

        Assert.NotEqual(a.Metrics, b.Metrics);
    }
}
