namespace ControlPlane.Workers.Evaluation.Engine;

/// <summary>
/// CUDA was required but its execution provider could not be loaded on this machine (no GPU, driver or CUDA libraries).
/// Not an input error: the same run may succeed on a GPU worker.
/// </summary>
public sealed class CudaUnavailableException(string message, Exception inner) : Exception(message, inner);
