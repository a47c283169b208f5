using ControlPlane.Domain.Training;
using Microsoft.ML;
using Microsoft.ML.Trainers;
using Microsoft.ML.Trainers.FastTree;
using Microsoft.ML.Trainers.LightGbm;

namespace ControlPlane.Workers.Training;

/// <summary>
/// The ML.NET trainer for a spec's trainer name, task and hyperparameters (all present: the spec stores the
/// effective values). SDCA runs on one thread: its parallel updates make results depend on thread timing. LightGBM's
/// OpenMP threads wait passively (see <see cref="OpenMpWaitPolicy"/>).
/// </summary>
internal static class TrainerFactory
{
    public static IEstimator<ITransformer> Create(MLContext ml, TrainingDefinition d, string label, string features)
    {
        if (d.Trainer == TrainerCatalog.LightGbm)
            OpenMpWaitPolicy.PreferPassive();
        var h = d.Hyperparameters;
        int I(string name) => (int)h[name];
        float F(string name) => (float)h[name];
        float? Auto(string name) => h.TryGetValue(name, out var value) ? (float)value : null;
        // FastTree and FastForest share their options' base; LightGBM's, SDCA's and L-BFGS's bases are generic in the task.
        T Trees<T>(T o) where T : TreeOptions
        {
            (o.LabelColumnName, o.FeatureColumnName, o.Seed) = (label, features, d.Seed);
            (o.NumberOfTrees, o.NumberOfLeaves, o.MinimumExampleCountPerLeaf) = (I("numberOfTrees"), I("numberOfLeaves"), I("minimumExampleCountPerLeaf"));
            if (o is BoostedTreeOptions boosted)
                boosted.LearningRate = h["learningRate"];
            return o;
        }
        return (d.Trainer, d.Task) switch
        {
            (TrainerCatalog.LightGbm, TrainingTask.Binary) => ml.BinaryClassification.Trainers.LightGbm(new LightGbmBinaryTrainer.Options
            {
                LabelColumnName = label, FeatureColumnName = features, NumberOfIterations = I("numberOfIterations"), NumberOfLeaves = I("numberOfLeaves"),
                LearningRate = h["learningRate"], MinimumExampleCountPerLeaf = I("minimumExampleCountPerLeaf"), Seed = d.Seed,
            }),
            (TrainerCatalog.LightGbm, TrainingTask.Multiclass) => ml.MulticlassClassification.Trainers.LightGbm(new LightGbmMulticlassTrainer.Options
            {
                LabelColumnName = label, FeatureColumnName = features, NumberOfIterations = I("numberOfIterations"), NumberOfLeaves = I("numberOfLeaves"),
                LearningRate = h["learningRate"], MinimumExampleCountPerLeaf = I("minimumExampleCountPerLeaf"), Seed = d.Seed,
            }),
            (TrainerCatalog.LightGbm, TrainingTask.Regression) => ml.Regression.Trainers.LightGbm(new LightGbmRegressionTrainer.Options
            {
                LabelColumnName = label, FeatureColumnName = features, NumberOfIterations = I("numberOfIterations"), NumberOfLeaves = I("numberOfLeaves"),
                LearningRate = h["learningRate"], MinimumExampleCountPerLeaf = I("minimumExampleCountPerLeaf"), Seed = d.Seed,
            }),
            (TrainerCatalog.FastTree, TrainingTask.Binary) => ml.BinaryClassification.Trainers.FastTree(Trees(new FastTreeBinaryTrainer.Options())),
            (TrainerCatalog.FastTree, TrainingTask.Regression) => ml.Regression.Trainers.FastTree(Trees(new FastTreeRegressionTrainer.Options())),
            (TrainerCatalog.FastForest, TrainingTask.Binary) => ml.BinaryClassification.Trainers.FastForest(Trees(new FastForestBinaryTrainer.Options())),
            (TrainerCatalog.FastForest, TrainingTask.Regression) => ml.Regression.Trainers.FastForest(Trees(new FastForestRegressionTrainer.Options())),
            (TrainerCatalog.SdcaLogistic, TrainingTask.Binary) => ml.BinaryClassification.Trainers.SdcaLogisticRegression(new SdcaLogisticRegressionBinaryTrainer.Options
            {
                LabelColumnName = label, FeatureColumnName = features, L1Regularization = Auto("l1Regularization"), L2Regularization = Auto("l2Regularization"),
                MaximumNumberOfIterations = I("maximumNumberOfIterations"), NumberOfThreads = 1,
            }),
            (TrainerCatalog.SdcaMaximumEntropy, TrainingTask.Multiclass) => ml.MulticlassClassification.Trainers.SdcaMaximumEntropy(new SdcaMaximumEntropyMulticlassTrainer.Options
            {
                LabelColumnName = label, FeatureColumnName = features, L1Regularization = Auto("l1Regularization"), L2Regularization = Auto("l2Regularization"),
                MaximumNumberOfIterations = I("maximumNumberOfIterations"), NumberOfThreads = 1,
            }),
            (TrainerCatalog.Sdca, TrainingTask.Regression) => ml.Regression.Trainers.Sdca(new SdcaRegressionTrainer.Options
            {
                LabelColumnName = label, FeatureColumnName = features, L1Regularization = Auto("l1Regularization"), L2Regularization = Auto("l2Regularization"),
                MaximumNumberOfIterations = I("maximumNumberOfIterations"), NumberOfThreads = 1,
            }),
            (TrainerCatalog.LbfgsLogistic, TrainingTask.Binary) => ml.BinaryClassification.Trainers.LbfgsLogisticRegression(new LbfgsLogisticRegressionBinaryTrainer.Options
            {
                LabelColumnName = label, FeatureColumnName = features, L1Regularization = F("l1Regularization"), L2Regularization = F("l2Regularization"),
                OptimizationTolerance = F("optimizationTolerance"), HistorySize = I("historySize"), MaximumNumberOfIterations = I("maximumNumberOfIterations"),
            }),
            (TrainerCatalog.LbfgsMaximumEntropy, TrainingTask.Multiclass) => ml.MulticlassClassification.Trainers.LbfgsMaximumEntropy(new LbfgsMaximumEntropyMulticlassTrainer.Options
            {
                LabelColumnName = label, FeatureColumnName = features, L1Regularization = F("l1Regularization"), L2Regularization = F("l2Regularization"),
                OptimizationTolerance = F("optimizationTolerance"), HistorySize = I("historySize"), MaximumNumberOfIterations = I("maximumNumberOfIterations"),
            }),
            (TrainerCatalog.LbfgsPoisson, TrainingTask.Regression) => ml.Regression.Trainers.LbfgsPoissonRegression(new LbfgsPoissonRegressionTrainer.Options
            {
                LabelColumnName = label, FeatureColumnName = features, L1Regularization = F("l1Regularization"), L2Regularization = F("l2Regularization"),
                OptimizationTolerance = F("optimizationTolerance"), HistorySize = I("historySize"), MaximumNumberOfIterations = I("maximumNumberOfIterations"),
            }),
            _ => throw new TrainingInputException($"{d.Trainer} does not learn {d.Task} tasks."),
        };
    }
}
