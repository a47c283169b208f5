using ControlPlane.Domain.Common;

namespace ControlPlane.Workers.Evaluation.Engine;

/// <summary>
/// The model, the dataset or the pair cannot be evaluated as sent (corrupt model, missing or mistyped column, a label
/// the model does not know): retrying will not help. The message says what and where, for the user.
/// </summary>
public sealed class EvaluationInputException(string message, Exception? inner = null)
    : DomainException("The evaluation input is not valid.", message, inner);
