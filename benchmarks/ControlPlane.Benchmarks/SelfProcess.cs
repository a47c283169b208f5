using System.Diagnostics;
using System.Globalization;

namespace ControlPlane.Benchmarks;

/// <summary>
/// Runs this benchmark program again as a child, so a measurement's peak resident memory (VmHWM) is its own and not
/// the generator's or an earlier run's.
/// </summary>
internal static class SelfProcess
{
    /// <summary>The child's standard output, trimmed; "failed (exit code)" when it did not exit 0.</summary>
    public static async Task<string> RunAsync(params string[] args)
    {
        var self = Environment.ProcessPath!;
        string[] full = self.EndsWith("dotnet", StringComparison.Ordinal) ? [typeof(SelfProcess).Assembly.Location, .. args] : args;
        var info = new ProcessStartInfo(self, full) { RedirectStandardOutput = true };
        using var child = Process.Start(info)!;
        var output = await child.StandardOutput.ReadToEndAsync();
        await child.WaitForExitAsync();
        return child.ExitCode == 0 ? output.Trim() : $"failed ({child.ExitCode})";
    }

    /// <summary>This process's peak resident set (VmHWM) in MiB; -1 where /proc is not available.</summary>
    public static long PeakMiB()
    {
        if (!File.Exists("/proc/self/status"))
            return -1;
        var line = File.ReadLines("/proc/self/status").FirstOrDefault(l => l.StartsWith("VmHWM:", StringComparison.Ordinal));
        return line is null ? -1 : long.Parse(line.Split(' ', StringSplitOptions.RemoveEmptyEntries)[1], CultureInfo.InvariantCulture) / 1024;
    }
}
