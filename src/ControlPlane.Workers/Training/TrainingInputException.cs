using ControlPlane.Domain.Common;

namespace ControlPlane.Workers.Training;

/// <summary>The spec and the data cannot train a model (a label value the task cannot take, too few rows): retrying will not help.</summary>
public sealed class TrainingInputException(string message, Exception? inner = null)
    : DomainException("The training input is not valid.", message, inner);
