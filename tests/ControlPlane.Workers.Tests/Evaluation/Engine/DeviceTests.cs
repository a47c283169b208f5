using ControlPlane.Domain.Evaluations;
using ControlPlane.TestModels;
using ControlPlane.Workers.Evaluation.Engine;
using Microsoft.ML.OnnxRuntime;

namespace ControlPlane.Workers.Tests.Evaluation.Engine;

/// <summary>
/// Auto falls back to the CPU exactly when CUDA cannot be used, and Cuda then refuses clearly. On a machine without a
/// GPU (as in CI) that means Auto records the CPU provider and Cuda throws; on a GPU machine both run on CUDA.
/// </summary>
public sealed class DeviceTests : IDisposable
{
    private readonly EvaluationFiles _files = new("cp-eval-device");
    private readonly OnnxEvaluator _evaluator = new();

    [Fact]
    public async Task Auto_records_the_provider_it_used_and_falls_back_to_cpu_exactly_when_cuda_is_unusable()
    {
        var auto = await RunAsync(EvaluationDevice.Auto);
        CudaUnavailableException? cudaError = null;
        try
        {
            var cuda = await RunAsync(EvaluationDevice.Cuda);
            Assert.Equal("CUDAExecutionProvider", cuda.Provenance.ExecutionProvider);
        }
        catch (CudaUnavailableException e)
        {
            cudaError = e;
        }

        Assert.Equal(cudaError is null ? "CUDAExecutionProvider" : "CPUExecutionProvider", auto.Provenance.ExecutionProvider);
        Assert.Equal(OrtEnv.Instance().GetVersionString(), auto.Provenance.OnnxRuntimeVersion);
        if (cudaError is not null)
        {
            Assert.Contains("CUDA was requested", cudaError.Message);
            Assert.Null(auto.Provenance.GpuName);
            Assert.Null(auto.Provenance.GpuDriver);
        }
    }

    [Fact]
    public async Task Cpu_records_the_cpu_provider_and_the_thread_settings()
    {
        var info = await RunAsync(EvaluationDevice.Cpu, intraOpThreads: 1, interOpThreads: 1);

        Assert.Equal(("CPUExecutionProvider", 1, 1, 16), (info.Provenance.ExecutionProvider, info.Provenance.IntraOpThreads, info.Provenance.InterOpThreads, info.Provenance.BatchSize));
        Assert.Equal(20, info.Rows);
    }

    private async Task<EvaluationRunInfo> RunAsync(EvaluationDevice device, int intraOpThreads = 0, int interOpThreads = 0)
    {
        var x = EvaluationFiles.RandomRows(20, 2, seed: 9);
        var input = await EvaluationFiles.InputAsync(_files.Model(HandBuiltOnnx.LinearRegressor([1f, 2f], 0f), $"{device}.onnx"),
            _files.FeaturesCsv(x, x.Select(_ => "1"), $"{device}.csv"), batchSize: 16);
        return await _evaluator.RunAsync(input with { Device = device, IntraOpThreads = intraOpThreads, InterOpThreads = interOpThreads },
            new CollectingSink(), null, CancellationToken.None);
    }

    public void Dispose() => _files.Dispose();
}
