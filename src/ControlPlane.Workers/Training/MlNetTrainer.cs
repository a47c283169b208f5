using System.Diagnostics;
using ControlPlane.Domain.Training;
using Microsoft.ML;
using Microsoft.ML.Data;

namespace ControlPlane.Workers.Training;

/// <summary>Progress of a training: a phase name and the overall fraction done.</summary>
public readonly record struct TrainingProgress(string Phase, double Fraction);

/// <summary>
/// Trains a spec's pipeline with ML.NET: loads the data through the shared reader into memory, splits it with the
/// seed (holdout, or k folds whose mean figures are reported before a final fit on every row), fits featurization and
/// trainer, and scores the held-out rows. The same input and seed give the same model and figures. Cancellation is
/// honoured between reads and between fits (ML.NET's own cancellation is in a package this project does not take).
/// </summary>
public static class MlNetTrainer
{
    public static async Task<TrainedModel> TrainAsync(TrainingInput input, IProgress<TrainingProgress>? progress, CancellationToken ct)
    {
        var definition = input.Definition;
        var clock = Stopwatch.StartNew();
        progress?.Report(new("loading", 0));
        var table = await TrainingTable.LoadAsync(input, new Progress<double>(f => progress?.Report(new("loading", 0.3 * f))), ct);
        var loading = clock.Elapsed;
        if (table.RowCount < 2)
            throw new TrainingInputException($"Only {table.RowCount} row has a label; training needs at least two.");

        var ml = new MLContext(definition.Seed);
        try
        {
            TrainedModel Fit(int[]? train, int[]? validation, IReadOnlyDictionary<string, double>? reported)
            {
                var (model, metrics) = FitAndScore(ml, table, train, validation, progress);
                return new TrainedModel(ml, model, TableDataView.SchemaOf(definition, withLabel: false), reported ?? metrics,
                    train?.Length ?? table.RowCount, reported is null ? validation?.Length ?? 0 : table.RowCount, table.SkippedRows, loading, clock.Elapsed - loading);
            }

            if (definition.CrossValidationFolds is { } k)
            {
                var folds = TrainingSplit.Folds(table, k, definition.Seed);
                var figures = new List<Dictionary<string, double>>();
                foreach (var (fold, i) in folds.Select((f, i) => (f, i)))
                {
                    progress?.Report(new($"fold {i + 1} of {k}", 0.3 + 0.5 * i / (k + 1)));
                    figures.Add(FitAndScore(ml, table, fold.Train, fold.Validation, null).Metrics);
                    ct.ThrowIfCancellationRequested();
                }
                var mean = TrainingMetrics.Mean(figures);
                mean["cvFolds"] = k;
                return Fit(null, null, mean);
            }
            var (trainRows, validationRows) = TrainingSplit.Holdout(table, definition.ValidationFraction, definition.Seed);
            if (trainRows.Length == 0 || validationRows.Length == 0)
                throw new TrainingInputException($"{table.RowCount} labelled rows are too few to hold out {definition.ValidationFraction:P0} for validation.");
            return Fit(trainRows, validationRows, null);
        }
        catch (Exception e) when (e is InvalidOperationException or ArgumentException && !ct.IsCancellationRequested)
        {
            // ML.NET reports data it cannot learn from (one class only, a non-positive Poisson label…) this way.
            throw new TrainingInputException($"ML.NET cannot train {definition.Trainer} on this data: {e.Message}", e);
        }
        finally
        {
            ct.ThrowIfCancellationRequested();
        }
    }

    /// <summary>
    /// Fits on <paramref name="train"/> (every row when null) and scores <paramref name="validation"/> when given. The
    /// featurization is fitted first and its output cached in memory, so multi-pass trainers do not redo it per pass.
    /// </summary>
    private static (ITransformer Model, Dictionary<string, double> Metrics) FitAndScore(MLContext ml, TrainingTable table, int[]? train, int[]? validation,
        IProgress<TrainingProgress>? progress)
    {
        var definition = table.Definition;
        IDataView trainView = new TableDataView(table, train);
        IDataView? validationView = validation is null ? null : new TableDataView(table, validation);
        var label = definition.LabelColumn;
        ITransformer? labelKeys = null;
        if (definition.Task == TrainingTask.Multiclass)
        {
            // Keys from every row, so a class that only the held-out rows have is still known.
            labelKeys = ml.Transforms.Conversion.MapValueToKey(TrainingPipeline.LabelKey, label).Fit(new TableDataView(table));
            trainView = labelKeys.Transform(trainView);
            validationView = validationView is null ? null : labelKeys.Transform(validationView);
            label = TrainingPipeline.LabelKey;
        }
        progress?.Report(new("featurizing", 0.35));
        var featurizer = TrainingPipeline.Featurize(ml, definition).Fit(trainView);
        var features = ml.Data.Cache(featurizer.Transform(trainView), TrainingPipeline.Features, label);
        progress?.Report(new("fitting", 0.45));
        var trained = TrainerFactory.Create(ml, definition, label, TrainingPipeline.Features).Fit(features);
        ITransformer model = featurizer.Append(trained);
        progress?.Report(new("validating", 0.8));
        var metrics = validationView is null ? [] : TrainingMetrics.Compute(ml, model.Transform(validationView), definition.Task, label);
        if (labelKeys is not null)
        {
            // Predictions as the class names the data uses, not key indices.
            var names = ml.Transforms.Conversion.MapKeyToValue("PredictedLabel").Fit(model.Transform(trainView));
            model = model.Append(names);
        }
        return (model, metrics);
    }
}
