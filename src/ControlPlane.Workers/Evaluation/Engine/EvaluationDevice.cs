namespace ControlPlane.Workers.Evaluation.Engine;

/// <summary>Where the model runs. Auto prefers CUDA and falls back to the CPU when the CUDA provider cannot load.</summary>
public enum EvaluationDevice
{
    Auto,
    Cpu,
    Cuda,
}
