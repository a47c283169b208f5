using ControlPlane.Workers.Cli;

namespace ControlPlane.Workers.Tests.Cli;

/// <summary>A command run in-process, as Program.cs runs it, with its standard output and error captured.</summary>
internal sealed record CommandRun(int ExitCode, string Output, string Error)
{
    public static Task<CommandRun> DriftAsync(params string[] args) => RunAsync(DriftCommand.RunAsync, ["drift", .. args]);

    public static Task<CommandRun> EvaluateAsync(params string[] args) => RunAsync(EvaluateCommand.RunAsync, ["evaluate", .. args]);

    private static async Task<CommandRun> RunAsync(Func<string[], TextWriter, TextWriter, CancellationToken, Task<int>> command, string[] args)
    {
        using var output = new StringWriter();
        using var error = new StringWriter();
        var exitCode = await command(args, output, error, CancellationToken.None);
        return new CommandRun(exitCode, output.ToString(), error.ToString());
    }

    /// <summary>Bad input: exit code 2, nothing on standard output, and exactly one line on standard error.</summary>
    public void AssertRefused(string command, string reason)
    {
        Assert.Equal(2, ExitCode);
        Assert.Equal("", Output);
        var line = Assert.Single(Error.Split('\n', StringSplitOptions.RemoveEmptyEntries));
        Assert.StartsWith($"{command}: ", line);
        Assert.Contains(reason, line);
    }
}
