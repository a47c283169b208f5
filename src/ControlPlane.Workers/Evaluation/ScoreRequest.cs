using ControlPlane.Domain.Evaluations;
using ControlPlane.Domain.Registry;
using ControlPlane.Workers.Evaluation.Engine;

namespace ControlPlane.Workers.Evaluation;

/// <summary>
/// One evaluation's scoring, as the <c>score</c> child process takes it: the model (by flavor, with its hash for the
/// ONNX export cache in <paramref name="ExportDirectory"/>), the data, how predictions are counted, and whether to
/// measure permutation importance (null: not asked for).
/// </summary>
public sealed record ScoreRequest(ModelFlavor Flavor, string ArtifactSha256, EvaluationInput Input, EvaluationTask? Task, double Threshold, string ExportDirectory,
    Importance.ImportanceOptions? Importance = null);
