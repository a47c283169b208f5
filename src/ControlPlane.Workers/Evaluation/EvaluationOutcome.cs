using ControlPlane.Domain.Evaluations;

namespace ControlPlane.Workers.Evaluation;

/// <summary>What a finished evaluation stores: the task it turned out to be and three JSON documents.</summary>
public sealed record EvaluationOutcome(EvaluationTask Task, string MetricsJson, string DetailsJson, string ProvenanceJson);
