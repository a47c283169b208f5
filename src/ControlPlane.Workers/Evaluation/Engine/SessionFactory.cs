using ControlPlane.Domain.Evaluations;
using Microsoft.ML.OnnxRuntime;

namespace ControlPlane.Workers.Evaluation.Engine;

/// <summary>
/// Opens the evaluation session on the requested device and records how it was opened. When a CUDA attempt fails
/// (provider library, driver or device missing), the model is opened on the CPU: if that fails too the model is at
/// fault (<see cref="EvaluationInputException"/>); otherwise Auto keeps the CPU session and Cuda refuses with
/// <see cref="CudaUnavailableException"/>.
/// </summary>
internal static class SessionFactory
{
    public const string CpuProvider = "CPUExecutionProvider";
    public const string CudaProvider = "CUDAExecutionProvider";

    private const int CudaDeviceId = 0;

    public static (InferenceSession Session, ExecutionProvenance Provenance) Open(EvaluationInput input)
    {
        var tryCuda = input.Device switch
        {
            EvaluationDevice.Cpu => false,
            EvaluationDevice.Auto => CudaLibraries.Present,
            EvaluationDevice.Cuda => true,
            _ => throw new EvaluationInputException($"Device '{input.Device}' is not one of {string.Join(", ", Enum.GetNames<EvaluationDevice>())}."),
        };
        if (!tryCuda)
            return (OpenOnCpu(input), Provenance(input, cuda: false));
        try
        {
            return (OpenSession(input, cuda: true), Provenance(input, cuda: true));
        }
        catch (OnnxRuntimeException cudaError)
        {
            var session = OpenOnCpu(input);
            if (input.Device == EvaluationDevice.Auto)
                return (session, Provenance(input, cuda: false));
            session.Dispose();
            throw new CudaUnavailableException($"CUDA was requested but it is not usable on this machine: {cudaError.Message}", cudaError);
        }
    }

    private static InferenceSession OpenOnCpu(EvaluationInput input)
    {
        try
        {
            return OpenSession(input, cuda: false);
        }
        catch (OnnxRuntimeException e)
        {
            throw new EvaluationInputException($"ONNX Runtime cannot load the model: {e.Message}", e);
        }
    }

    private static InferenceSession OpenSession(EvaluationInput input, bool cuda)
    {
        // The session copies what it needs from the options.
        using var options = new SessionOptions
        {
            IntraOpNumThreads = input.IntraOpThreads,
            InterOpNumThreads = input.InterOpThreads,
            LogSeverityLevel = OrtLoggingLevel.ORT_LOGGING_LEVEL_ERROR,
        };
        // Idle intra-op threads would otherwise spin, taking the cores the reading task needs to parse the next batch.
        options.AddSessionConfigEntry("session.intra_op.allow_spinning", "0");
        if (cuda)
            options.AppendExecutionProvider_CUDA(CudaDeviceId);
        return new InferenceSession(input.ModelPath, options);
    }

    private static ExecutionProvenance Provenance(EvaluationInput input, bool cuda)
    {
        var (gpu, driver) = cuda ? GpuQuery.Describe(CudaDeviceId) : (null, null);
        return new ExecutionProvenance(cuda ? CudaProvider : CpuProvider, OrtEnv.Instance().GetVersionString(),
            gpu, driver, input.BatchSize, input.IntraOpThreads, input.InterOpThreads);
    }
}
