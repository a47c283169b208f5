using System.Globalization;
using ControlPlane.Workers.Jobs;

namespace ControlPlane.Workers.Isolation;

/// <summary>
/// A child command's own usage, sent to the parent as one <c>usage TAB rows TAB gpuMs</c> line on standard output when
/// it ends: the child measures what only it can see (rows scored, time in ONNX Runtime on CUDA) in a
/// <see cref="JobUsageScope"/> of its own, and the parent adds it to the job's.
/// </summary>
public static class ChildUsage
{
    private const string Prefix = "usage\t";

    public static string Line(long rows, TimeSpan gpu) =>
        string.Create(CultureInfo.InvariantCulture, $"{Prefix}{rows}\t{gpu.TotalMilliseconds:R}");

    /// <summary>Adds a usage line to <paramref name="usage"/>; false for any other line.</summary>
    public static bool TryApply(string line, IJobUsage usage)
    {
        if (!line.StartsWith(Prefix, StringComparison.Ordinal) || line.Split('\t') is not [_, var rowsText, var gpuText]
            || !long.TryParse(rowsText, NumberStyles.Integer, CultureInfo.InvariantCulture, out var rows)
            || !double.TryParse(gpuText, NumberStyles.Float, CultureInfo.InvariantCulture, out var gpuMs))
            return false;
        usage.AddRows(rows);
        usage.AddGpuTime(TimeSpan.FromMilliseconds(gpuMs));
        return true;
    }

    /// <summary>Runs a child command's work in a usage scope and writes its line (rows only when the work counted any).</summary>
    public static async Task RunMeasuredAsync(TextWriter output, Func<Task> work)
    {
        var scope = JobUsageScope.Begin();
        try
        {
            await work();
        }
        finally
        {
            scope.End();
        }
        lock (output)
        {
            output.WriteLine(Line(scope.Rows ?? 0, scope.Gpu));
            output.Flush();
        }
    }
}
