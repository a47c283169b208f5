using System.Diagnostics;
using System.Text;

namespace ControlPlane.Workers.Isolation;

/// <summary>
/// Runs a command of the worker's own executable (<c>dotnet ControlPlane.Workers.dll VERB …</c>, present beside the web
/// app too) in a child process, so that work whose cost the user controls (a fit, a model) can be stopped at once and
/// cannot take the server's memory: the child is killed on cancellation, past the time limit, or when its resident
/// memory, sampled every 200 ms, passes the limit. Each line it writes to standard output goes to <c>onLine</c>.
/// </summary>
public static class ChildProcess
{
    private static readonly TimeSpan Sample = TimeSpan.FromMilliseconds(200);
    private const int MaxErrorChars = 16_000;

    /// <summary>The worker assembly the child runs; its runtimeconfig and deps files sit beside it wherever it is deployed.</summary>
    private static string WorkerAssembly => typeof(ChildProcess).Assembly.Location;

    public static async Task<ChildOutcome> RunAsync(IReadOnlyList<string> arguments, ChildLimits limits, Action<string> onLine, CancellationToken ct)
    {
        var start = new ProcessStartInfo(DotnetHost.Path)
        {
            RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false,
            StandardOutputEncoding = Encoding.UTF8, StandardErrorEncoding = Encoding.UTF8,
        };
        foreach (var argument in HostArguments)
            start.ArgumentList.Add(argument);
        start.ArgumentList.Add(WorkerAssembly);
        foreach (var argument in arguments)
            start.ArgumentList.Add(argument);
        start.Environment[ParentWatch.Variable] = Environment.ProcessId.ToString(System.Globalization.CultureInfo.InvariantCulture);

        var usage = Jobs.JobUsageScope.Current; // captured here: the output events run outside the job's flow
        using var process = Process.Start(start) ?? throw new InvalidOperationException($"Could not start {start.FileName}.");
        var error = new StringBuilder();
        process.OutputDataReceived += (_, e) =>
        {
            if (e.Data is not null)
                onLine(e.Data);
        };
        process.ErrorDataReceived += (_, e) =>
        {
            if (e.Data is null)
                return;
            lock (error)
                if (error.Length < MaxErrorChars)
                    error.AppendLine(e.Data);
        };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();

        var clock = Stopwatch.StartNew();
        var exited = process.WaitForExitAsync(CancellationToken.None);
        long peak = 0;
        var cpu = TimeSpan.Zero;
        var stopped = ChildStop.None;
        try
        {
            while (!exited.IsCompleted)
            {
                peak = Math.Max(peak, ResidentBytes(process));
                cpu = Max(cpu, ProcessorTime(process));
                stopped = ct.IsCancellationRequested ? ChildStop.Cancelled
                    : clock.Elapsed > limits.Time ? ChildStop.TimedOut
                    : peak > limits.MemoryBytes ? ChildStop.OutOfMemory
                    : ChildStop.None;
                if (stopped != ChildStop.None)
                {
                    process.Kill(entireProcessTree: true);
                    break;
                }
                await Task.WhenAny(exited, Task.Delay(Sample, ct));
            }
        }
        finally
        {
            // Whatever happens to the caller, no child outlives its parent's interest in it.
            if (!process.HasExited)
                process.Kill(entireProcessTree: true);
            await exited;
            process.WaitForExit(); // drains the redirected output
            usage.AddChildProcess(cpu, peak);
        }
        string text;
        lock (error)
            text = error.ToString();
        return new ChildOutcome(process.ExitCode, text.Trim(), stopped);
    }

    /// <summary>
    /// The child runs with this process's runtime configuration and dependencies: in the web app's folder the worker's
    /// own runtimeconfig names only .NET, while the Microsoft.Extensions libraries there come from ASP.NET Core's
    /// shared framework, which the web app's names.
    /// </summary>
    private static readonly string[] HostArguments = ResolveHostArguments();

    private static string[] ResolveHostArguments()
    {
        var deps = (AppContext.GetData("APP_CONTEXT_DEPS_FILES") as string)?.Split(';').FirstOrDefault(); // the host separates them with ; everywhere
        var config = deps is null ? null : string.Concat(deps.AsSpan(0, deps.Length - ".deps.json".Length), ".runtimeconfig.json");
        return deps is not null && deps.EndsWith(".deps.json", StringComparison.Ordinal) && File.Exists(deps) && File.Exists(config)
            ? ["exec", "--runtimeconfig", config, "--depsfile", deps]
            : [];
    }

    private static TimeSpan Max(TimeSpan a, TimeSpan b) => a > b ? a : b;

    /// <summary>The child's CPU so far; sampled, since an exited and reaped child's can no longer be read.</summary>
    private static TimeSpan ProcessorTime(Process process)
    {
        try
        {
            return process.TotalProcessorTime;
        }
        catch (Exception e) when (e is InvalidOperationException or System.ComponentModel.Win32Exception or NotSupportedException)
        {
            return TimeSpan.Zero; // exited between the check and the read
        }
    }

    private static long ResidentBytes(Process process)
    {
        try
        {
            process.Refresh();
            return process.WorkingSet64;
        }
        catch (InvalidOperationException)
        {
            return 0; // exited between the check and the read
        }
    }
}
