using System.Diagnostics;
using System.Text;
using System.Text.RegularExpressions;

namespace ControlPlane.TestSupport;

/// <summary>One of the real apps started as its own process (<c>dotnet App.dll</c>), its console captured.</summary>
public sealed class AppProcess : IAsyncDisposable
{
    private readonly Process _process;
    private readonly StringBuilder _output = new();
    private readonly Lock _gate = new();

    private AppProcess(Process process) => _process = process;

    public static AppProcess Start(string project, IDictionary<string, string> environment, string workingDirectory, params string[] args) =>
        StartDll(RepoPaths.AppDll(project), environment, workingDirectory, args);

    /// <summary>Starts <c>dotnet <paramref name="dll"/></c>, as a deployment does with a published output.</summary>
    public static AppProcess StartDll(string dll, IDictionary<string, string> environment, string workingDirectory, params string[] args)
    {
        var info = new ProcessStartInfo("dotnet", [dll, .. args])
        {
            WorkingDirectory = workingDirectory,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        info.Environment["DOTNET_NOLOGO"] = "1";
        foreach (var (key, value) in environment)
            info.Environment[key] = value;
        var process = new Process { StartInfo = info, EnableRaisingEvents = true };
        var app = new AppProcess(process);
        process.OutputDataReceived += (_, e) => app.Append(e.Data);
        process.ErrorDataReceived += (_, e) => app.Append(e.Data);
        process.Start();
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return app;
    }

    public string Output
    {
        get { lock (_gate) return _output.ToString(); }
    }

    /// <summary>Waits for a console line matching <paramref name="pattern"/> and returns the match.</summary>
    public async Task<Match> WaitForOutputAsync(string pattern, TimeSpan timeout)
    {
        var regex = new Regex(pattern, RegexOptions.Multiline);
        var deadline = DateTime.UtcNow + timeout;
        while (DateTime.UtcNow < deadline)
        {
            var match = regex.Match(Output);
            if (match.Success)
                return match;
            if (_process.HasExited)
                throw new InvalidOperationException($"The app exited with code {_process.ExitCode} before printing /{pattern}/:\n{Output}");
            await Task.Delay(100);
        }
        throw new TimeoutException($"No line matched /{pattern}/ within {timeout.TotalSeconds:0}s:\n{Output}");
    }

    /// <summary>Runs a one-shot command of an app to its end: exit code and everything it printed.</summary>
    public static async Task<(int ExitCode, string Output)> RunAsync(string project, IDictionary<string, string> environment, string workingDirectory, TimeSpan timeout, params string[] args)
    {
        await using var app = Start(project, environment, workingDirectory, args);
        using var cancel = new CancellationTokenSource(timeout);
        await app._process.WaitForExitAsync(cancel.Token);
        app._process.WaitForExit(); // drains the redirected output
        return (app._process.ExitCode, app.Output);
    }

    public int Id => _process.Id;

    public bool HasExited => _process.HasExited;

    public int ExitCode => _process.ExitCode;

    /// <summary>
    /// Sends SIGTERM, as a service manager or container runtime stops a process, and waits up to
    /// <paramref name="timeout"/> for it to exit; returns how long it took, or null when it was still running.
    /// </summary>
    public async Task<TimeSpan?> TerminateAsync(TimeSpan timeout)
    {
        var started = Stopwatch.GetTimestamp();
        if (Signals.Kill(_process.Id, Signals.SigTerm) != 0)
            throw new InvalidOperationException($"kill(SIGTERM) failed: errno {System.Runtime.InteropServices.Marshal.GetLastPInvokeError()}");
        using var cancel = new CancellationTokenSource(timeout);
        try
        {
            await _process.WaitForExitAsync(cancel.Token);
        }
        catch (OperationCanceledException)
        {
            return null;
        }
        _process.WaitForExit(); // drains the redirected output
        return Stopwatch.GetElapsedTime(started);
    }

    /// <summary>SIGKILL: the process ends at once, mid-write if it was writing.</summary>
    public async Task KillAsync()
    {
        _process.Kill(entireProcessTree: true);
        await _process.WaitForExitAsync();
    }

    private void Append(string? line)
    {
        if (line is null)
            return;
        lock (_gate)
            _output.AppendLine(line);
    }

    public async ValueTask DisposeAsync()
    {
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
            await _process.WaitForExitAsync();
        }
        _process.Dispose();
    }
}
