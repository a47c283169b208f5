using ControlPlane.Domain.Common;
using ControlPlane.Workers.Evaluation.Engine;

namespace ControlPlane.Workers.Cli;

/// <summary>
/// Runs a command body and maps bad input to exit code 2 with one line on the error writer, <c>command: reason</c>.
/// Anything else is a bug and propagates with its stack trace.
/// </summary>
internal static class CliRunner
{
    public const int Ok = 0;
    public const int BadInput = 2;

    public static async Task<int> RunAsync(string command, TextWriter error, Func<Task<int>> body)
    {
        try
        {
            return await body();
        }
        catch (Exception e) when (e is CliInputException or DomainException or CudaUnavailableException or IOException or UnauthorizedAccessException)
        {
            // Domain messages may quote a multi-line cell; the contract is one line.
            await error.WriteLineAsync($"{command}: {e.Message.ReplaceLineEndings(" ")}");
            return BadInput;
        }
    }
}
