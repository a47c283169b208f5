using Microsoft.ML.OnnxRuntime;

namespace ControlPlane.Workers.Evaluation.MlNet;

/// <summary>An ML.NET model's ONNX export on local disk, or why there is none.</summary>
internal sealed record OnnxExport(string? Path, string? Failure);

/// <summary>
/// ONNX exports of ML.NET models, converted once per artifact and kept on the worker's disk (<c>Workers:OnnxExportDirectory</c>)
/// as <c>{sha256}.mlnet-{version}.onnx</c>, so an ML.NET upgrade converts again. An export is kept only once ONNX Runtime
/// has loaded it: ML.NET writes some pipelines (a PCA projection) into graphs that ONNX Runtime refuses. A pipeline
/// that cannot be exported is not remembered: trying again costs little, and a later ML.NET may export it.
/// </summary>
public sealed class OnnxExportCache(string directory)
{
    /// <summary>Where the exports are kept (a scoring child process opens the same cache).</summary>
    public string Folder => directory;

    internal OnnxExport GetOrConvert(string sha256, MlNetModel model)
    {
        var path = Path.Combine(directory, $"{sha256}.mlnet-{MlNetModel.Version}.onnx");
        if (File.Exists(path))
            return new OnnxExport(path, null);

        // Converted in memory (the converter builds the whole protobuf before writing anyway), so nothing unchecked reaches the disk.
        byte[] onnx;
        try
        {
            using var buffer = new MemoryStream();
            model.ConvertToOnnx(buffer);
            onnx = buffer.ToArray();
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            // The converter reports unsupported steps with whatever its code hits first (KeyNotFoundException for a
            // text featurizer, InvalidOperationException for a factorization machine), so any exception means "cannot".
            return new OnnxExport(null, $"ML.NET cannot export the pipeline to ONNX: {e.Message}");
        }
        try
        {
            using var options = new SessionOptions { LogSeverityLevel = OrtLoggingLevel.ORT_LOGGING_LEVEL_FATAL };
            using var session = new InferenceSession(onnx, options);
        }
        catch (OnnxRuntimeException e)
        {
            return new OnnxExport(null, $"ONNX Runtime cannot load ML.NET's export of the pipeline: {e.Message}");
        }
        Save(onnx, path);
        return new OnnxExport(path, null);
    }

    /// <summary>Written beside its final name and renamed, so a concurrent evaluation never reads half a file.</summary>
    private void Save(byte[] onnx, string path)
    {
        if (OperatingSystem.IsWindows())
            Directory.CreateDirectory(directory);
        else
            Directory.CreateDirectory(directory, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        var temporary = $"{path}.{Guid.NewGuid():N}.part";
        try
        {
            using (var file = new FileStream(temporary, FileMode.CreateNew, FileAccess.Write))
            {
                file.Write(onnx);
                file.Flush(flushToDisk: true);
            }
            File.Move(temporary, path, overwrite: true);
        }
        finally
        {
            File.Delete(temporary);
        }
    }
}
