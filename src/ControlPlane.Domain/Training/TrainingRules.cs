using System.Globalization;
using ControlPlane.Domain.Common;
using ControlPlane.Domain.Datasets;

namespace ControlPlane.Domain.Training;

/// <summary>
/// What a spec must satisfy against the schema of its training data before it is saved, and again when a run starts
/// (a newer dataset version may have changed). Every problem is reported at once, under the field it concerns.
/// </summary>
public static class TrainingRules
{
    public const int MaxFeatures = 2_000;
    public const int MaxFolds = 20;

    /// <summary>Output columns of ML.NET's scorers; an input of the same name would be hidden by them.</summary>
    public static readonly IReadOnlyList<string> ReservedNames = ["Score", "Probability", "PredictedLabel", "Features", "Label"];

    /// <summary>The checked definition (label and feature names as the schema spells them); throws one <see cref="ValidationException"/> listing every problem.</summary>
    public static TrainingDefinition Validate(TrainingDefinitionInput input, IReadOnlyList<DatasetColumn> schema, string dataName)
    {
        var errors = new Errors();
        var byName = schema.ToDictionary(c => c.Name, StringComparer.OrdinalIgnoreCase);

        var trainer = TrainerCatalog.Find(input.Trainer);
        if (trainer is null)
            errors.Add("trainer", $"Unknown trainer '{input.Trainer}'; use one of {string.Join(", ", TrainerCatalog.All.Select(t => t.Name))}.");
        else if (!trainer.Tasks.Contains(input.Task))
            errors.Add("trainer", $"{trainer.Name} does not learn {input.Task} tasks; for {input.Task} use one of " +
                $"{string.Join(", ", TrainerCatalog.All.Where(t => t.Tasks.Contains(input.Task)).Select(t => t.Name))}.");
        var hyperparameters = trainer is null ? new SortedDictionary<string, double>() : CheckHyperparameters(trainer, input.Hyperparameters, errors);

        var label = byName.GetValueOrDefault(input.LabelColumn?.Trim() ?? "");
        if (label is null)
            errors.Add("labelColumn", string.IsNullOrWhiteSpace(input.LabelColumn) ? "Name the label column." : $"{dataName} has no column named '{input.LabelColumn}'.");
        else if (ReservedNames.Contains(label.Name, StringComparer.OrdinalIgnoreCase) && !string.Equals(label.Name, "Label", StringComparison.OrdinalIgnoreCase))
            errors.Add("labelColumn", $"'{label.Name}' is the name of an ML.NET output column; rename the column in the dataset to use it as the label.");
        else if (!LabelFits(input.Task, label.Type))
            errors.Add("labelColumn", $"'{label.Name}' is {label.Type}; a {input.Task} label must be {string.Join(" or ", LabelTypes(input.Task))}.");

        var features = new List<TrainingFeature>();
        if (input.Features is not { Count: > 0 })
            errors.Add("features", "Name at least one feature column.");
        else if (input.Features.Count > MaxFeatures)
            errors.Add("features", $"At most {MaxFeatures} feature columns.");
        else
            foreach (var feature in input.Features)
                if (CheckFeature(feature, byName, label, dataName, errors) is { } ok)
                    features.Add(ok);
        foreach (var duplicate in features.GroupBy(f => f.Name, StringComparer.OrdinalIgnoreCase).Where(g => g.Count() > 1))
            errors.Add("features", $"'{duplicate.Key}' is listed more than once.");

        if (input.CrossValidationFolds is { } folds && folds is < 2 or > MaxFolds)
            errors.Add("crossValidationFolds", $"Cross-validation takes 2 to {MaxFolds} folds.");
        if (!(input.ValidationFraction is > 0 and <= 0.5))
            errors.Add("validationFraction", "The validation fraction is a share of rows in (0, 0.5].");
        if (input.Seed < 0)
            errors.Add("seed", "The seed is a non-negative whole number.");
        errors.ThrowIfAny();
        return new TrainingDefinition(input.Task, label!.Name, [.. features.OrderBy(f => f.Name, StringComparer.Ordinal)], trainer!.Name,
            hyperparameters, input.CrossValidationFolds is null ? input.ValidationFraction : 0, input.CrossValidationFolds, input.Seed);
    }

    public static bool LabelFits(TrainingTask task, ColumnType type) => LabelTypes(task).Contains(type);

    private static ColumnType[] LabelTypes(TrainingTask task) => task switch
    {
        TrainingTask.Binary => [ColumnType.Boolean, ColumnType.Numerical],
        TrainingTask.Multiclass => [ColumnType.Categorical, ColumnType.Boolean, ColumnType.Numerical],
        _ => [ColumnType.Numerical],
    };

    private static ColumnType[] FeatureTypes(FeatureTreatment treatment) => treatment switch
    {
        FeatureTreatment.Numerical => [ColumnType.Numerical, ColumnType.Boolean],
        FeatureTreatment.Categorical => [ColumnType.Categorical, ColumnType.Boolean, ColumnType.Numerical, ColumnType.Text],
        _ => [ColumnType.Text, ColumnType.Categorical],
    };

    private static TrainingFeature? CheckFeature(TrainingFeature? feature, Dictionary<string, DatasetColumn> byName, DatasetColumn? label, string dataName, Errors errors)
    {
        var name = feature?.Name?.Trim() ?? "";
        if (feature is null || name.Length == 0)
        {
            errors.Add("features", "A feature has no column name.");
            return null;
        }
        if (!Enum.IsDefined(feature.Treatment))
        {
            errors.Add("features", $"'{name}' has an unknown treatment; use Numerical, Categorical or Text.");
            return null;
        }
        if (!byName.TryGetValue(name, out var column))
        {
            errors.Add("features", $"{dataName} has no column named '{name}'.");
            return null;
        }
        if (label is not null && column.Name == label.Name)
        {
            errors.Add("features", $"'{column.Name}' is the label; the label never feeds the model.");
            return null;
        }
        if (ReservedNames.Contains(column.Name, StringComparer.OrdinalIgnoreCase))
        {
            errors.Add("features", $"'{column.Name}' is the name of an ML.NET output column; rename the column in the dataset to use it as a feature.");
            return null;
        }
        if (!FeatureTypes(feature.Treatment).Contains(column.Type))
        {
            errors.Add("features", $"'{column.Name}' is {column.Type}; {feature.Treatment} treatment takes {string.Join(" or ", FeatureTypes(feature.Treatment))} columns.");
            return null;
        }
        return new TrainingFeature(column.Name, feature.Treatment);
    }

    private static SortedDictionary<string, double> CheckHyperparameters(TrainerInfo trainer, IReadOnlyDictionary<string, double>? given, Errors errors)
    {
        foreach (var (name, value) in given ?? new Dictionary<string, double>())
        {
            var info = trainer.Hyperparameters.FirstOrDefault(p => string.Equals(p.Name, name, StringComparison.OrdinalIgnoreCase));
            if (info is null)
                errors.Add("hyperparameters", $"{trainer.Name} has no hyperparameter '{name}'; it takes {string.Join(", ", trainer.Hyperparameters.Select(p => p.Name))}.");
            else if (!double.IsFinite(value) || value < info.Min || value > info.Max)
                errors.Add("hyperparameters", $"{info.Name} is {F(value)}; it must be between {F(info.Min)} and {F(info.Max)}.");
            else if (info.Integer && value != Math.Floor(value))
                errors.Add("hyperparameters", $"{info.Name} is {F(value)}; it must be a whole number.");
        }
        return TrainerCatalog.Effective(trainer, given);
    }

    private static string F(double value) => value.ToString("G", CultureInfo.InvariantCulture);

    private sealed class Errors
    {
        private readonly Dictionary<string, List<string>> _byField = new(StringComparer.Ordinal);

        public void Add(string field, string message)
        {
            if (!_byField.TryGetValue(field, out var list))
                _byField[field] = list = [];
            list.Add(message);
        }

        public void ThrowIfAny()
        {
            if (_byField.Count > 0)
                throw new ValidationException(string.Join(" ", _byField.Values.SelectMany(m => m)),
                    _byField.ToDictionary(kv => kv.Key, kv => kv.Value.ToArray()));
        }
    }
}
