using System.Diagnostics;

namespace ControlPlane.Workers.Evaluation.Engine;

/// <summary>Best-effort GPU name and driver from nvidia-smi, for provenance only: any failure gives nulls.</summary>
internal static class GpuQuery
{
    public static (string? Name, string? Driver) Describe(int deviceId)
    {
        try
        {
            using var process = Process.Start(new ProcessStartInfo("nvidia-smi", $"--query-gpu=name,driver_version --format=csv,noheader --id={deviceId}")
            {
                RedirectStandardOutput = true,
                RedirectStandardError = true,
                UseShellExecute = false,
            });
            if (process is null)
                return (null, null);
            var output = process.StandardOutput.ReadToEnd();
            if (!process.WaitForExit(5_000) || process.ExitCode != 0)
                return (null, null);
            var parts = output.Split('\n', StringSplitOptions.RemoveEmptyEntries).FirstOrDefault()?.Split(',', StringSplitOptions.TrimEntries);
            return parts is [var name, var driver] ? (name, driver) : (null, null);
        }
        catch (Exception e) when (e is System.ComponentModel.Win32Exception or InvalidOperationException or IOException)
        {
            return (null, null);
        }
    }
}
