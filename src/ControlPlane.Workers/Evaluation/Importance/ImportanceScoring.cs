using ControlPlane.Domain.Evaluations;

namespace ControlPlane.Workers.Evaluation.Importance;

/// <summary>What the engine needs to measure importance besides the run: the options and how predictions are counted (as the run counts them).</summary>
public sealed record ImportanceScoring(ImportanceOptions Options, EvaluationTask? Task, double Threshold);
