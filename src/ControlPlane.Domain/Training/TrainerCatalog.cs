namespace ControlPlane.Domain.Training;

/// <summary>
/// One hyperparameter a trainer accepts: its range and the value used when the spec leaves it out; a null default
/// means ML.NET derives the value from the data (and the value is then absent from the stored spec).
/// </summary>
public sealed record HyperparameterInfo(string Name, double Min, double Max, double? Default, bool Integer, string Description);

/// <summary>A trainer, the tasks it can learn, and its hyperparameters.</summary>
public sealed record TrainerInfo(string Name, IReadOnlyList<TrainingTask> Tasks, IReadOnlyList<HyperparameterInfo> Hyperparameters, string Description);

/// <summary>The trainers a spec may name. The worker maps each name to the ML.NET trainer; the web shows this list.</summary>
public static class TrainerCatalog
{
    public const string LightGbm = "LightGbm";
    public const string FastTree = "FastTree";
    public const string FastForest = "FastForest";
    public const string SdcaLogistic = "SdcaLogistic";
    public const string SdcaMaximumEntropy = "SdcaMaximumEntropy";
    public const string Sdca = "Sdca";
    public const string LbfgsLogistic = "LbfgsLogistic";
    public const string LbfgsMaximumEntropy = "LbfgsMaximumEntropy";
    public const string LbfgsPoisson = "LbfgsPoisson";

    private static readonly HyperparameterInfo Leaves = new("numberOfLeaves", 2, 16_384, 20, true, "Maximum leaves per tree.");
    private static readonly HyperparameterInfo MinLeaf = new("minimumExampleCountPerLeaf", 1, 1_000_000, 10, true, "Fewest training rows a leaf may hold.");
    private static readonly HyperparameterInfo Trees = new("numberOfTrees", 1, 10_000, 100, true, "Trees in the ensemble.");
    // ML.NET picks SDCA's penalties from the data when none is given; a fixed small L2 made the weights diverge on
    // small unscaled regressions.
    private static readonly HyperparameterInfo L1 = new("l1Regularization", 0, 1_000, null, false, "L1 penalty on the weights (default: from the data).");
    private static readonly HyperparameterInfo SdcaL2 = new("l2Regularization", 1e-9, 1_000, null, false, "L2 penalty on the weights (default: from the data).");
    private static readonly HyperparameterInfo SdcaIterations = new("maximumNumberOfIterations", 1, 10_000, 20, true, "Passes over the data.");
    private static readonly HyperparameterInfo LbfgsL1 = new("l1Regularization", 0, 1_000, 1, false, "L1 penalty on the weights.");
    private static readonly HyperparameterInfo LbfgsL2 = new("l2Regularization", 0, 1_000, 1, false, "L2 penalty on the weights.");
    private static readonly HyperparameterInfo Tolerance = new("optimizationTolerance", 1e-12, 1, 1e-7, false, "Stop when the loss improves by less than this.");
    private static readonly HyperparameterInfo History = new("historySize", 1, 1_000, 20, true, "Past gradients L-BFGS remembers.");
    private static readonly HyperparameterInfo LbfgsIterations = new("maximumNumberOfIterations", 1, 100_000, 1_000, true, "Upper bound on optimizer iterations.");

    private static readonly IReadOnlyList<HyperparameterInfo> LbfgsParameters = [LbfgsL1, LbfgsL2, Tolerance, History, LbfgsIterations];
    private static readonly IReadOnlyList<HyperparameterInfo> SdcaParameters = [L1, SdcaL2, SdcaIterations];

    public static IReadOnlyList<TrainerInfo> All { get; } =
    [
        new(LightGbm, [TrainingTask.Binary, TrainingTask.Multiclass, TrainingTask.Regression],
            [new("numberOfIterations", 1, 10_000, 100, true, "Boosting rounds (trees per class)."), Leaves with { Default = 31 },
             new("learningRate", 1e-6, 1, 0.1, false, "Shrinkage of each tree."), MinLeaf with { Default = 20 }],
            "Gradient-boosted trees (LightGBM)."),
        new(FastTree, [TrainingTask.Binary, TrainingTask.Regression],
            [Trees, Leaves, new("learningRate", 1e-6, 1, 0.2, false, "Shrinkage of each tree."), MinLeaf],
            "Gradient-boosted trees (ML.NET FastTree / MART)."),
        new(FastForest, [TrainingTask.Binary, TrainingTask.Regression], [Trees, Leaves, MinLeaf], "Random forest (ML.NET FastForest)."),
        new(SdcaLogistic, [TrainingTask.Binary], SdcaParameters, "Logistic regression by stochastic dual coordinate ascent."),
        new(LbfgsLogistic, [TrainingTask.Binary], LbfgsParameters, "Logistic regression by L-BFGS."),
        new(SdcaMaximumEntropy, [TrainingTask.Multiclass], SdcaParameters, "Multinomial logistic regression by SDCA."),
        new(LbfgsMaximumEntropy, [TrainingTask.Multiclass], LbfgsParameters, "Multinomial logistic regression by L-BFGS."),
        new(Sdca, [TrainingTask.Regression], SdcaParameters, "Linear regression (squared loss) by SDCA."),
        new(LbfgsPoisson, [TrainingTask.Regression], LbfgsParameters, "Poisson regression by L-BFGS (labels are non-negative counts)."),
    ];

    public static TrainerInfo? Find(string? name) => All.FirstOrDefault(t => string.Equals(t.Name, name?.Trim(), StringComparison.OrdinalIgnoreCase));

    /// <summary>The given values over the defaults, by canonical name; a parameter without either is left to ML.NET.</summary>
    public static SortedDictionary<string, double> Effective(TrainerInfo trainer, IReadOnlyDictionary<string, double>? given)
    {
        var values = new SortedDictionary<string, double>(StringComparer.Ordinal);
        foreach (var p in trainer.Hyperparameters)
        {
            if (given?.FirstOrDefault(kv => string.Equals(kv.Key, p.Name, StringComparison.OrdinalIgnoreCase)) is { Key: not null } kv)
                values[p.Name] = kv.Value;
            else if (p.Default is { } value)
                values[p.Name] = value;
        }
        return values;
    }
}
