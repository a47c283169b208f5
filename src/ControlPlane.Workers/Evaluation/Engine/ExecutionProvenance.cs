namespace ControlPlane.Workers.Evaluation.Engine;

/// <summary>How a run actually executed, so its results can be reproduced and compared; no ONNX Runtime version when ML.NET scored it.</summary>
public sealed record ExecutionProvenance(
    string ExecutionProvider,
    string? OnnxRuntimeVersion,
    string? GpuName,
    string? GpuDriver,
    int BatchSize,
    int IntraOpThreads,
    int InterOpThreads);
