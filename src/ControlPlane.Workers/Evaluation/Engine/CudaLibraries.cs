using System.Runtime.InteropServices;

namespace ControlPlane.Workers.Evaluation.Engine;

/// <summary>
/// Whether the CUDA libraries ONNX Runtime's CUDA provider links against can be loaded at all. Auto skips the CUDA
/// attempt when they cannot, instead of letting ONNX Runtime print a loading error for every CPU-only evaluation.
/// </summary>
internal static class CudaLibraries
{
    private static readonly string[] Linux = ["libcudart.so.13", "libcublasLt.so.13", "libcudnn.so.9"];
    private static readonly string[] Windows = ["cudart64_13.dll", "cublasLt64_13.dll", "cudnn64_9.dll"];

    private static readonly Lazy<bool> Loadable = new(() =>
        (OperatingSystem.IsWindows() ? Windows : Linux).All(name =>
        {
            if (!NativeLibrary.TryLoad(name, out var handle))
                return false;
            NativeLibrary.Free(handle);
            return true;
        }));

    public static bool Present => Loadable.Value;
}
