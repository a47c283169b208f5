namespace ControlPlane.Domain.Evaluations;

/// <summary>Auto uses CUDA when its execution provider loads and falls back to CPU; Cuda fails when it cannot.</summary>
public enum EvaluationDevice
{
    Auto,
    Cpu,
    Cuda,
}
