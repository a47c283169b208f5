namespace ControlPlane.Workers.Isolation;

/// <summary>Why a child process was stopped before it ended by itself.</summary>
public enum ChildStop
{
    None,
    Cancelled,
    TimedOut,
    OutOfMemory,
}

/// <summary>How a child ended: its exit code and standard error, and whether it was stopped.</summary>
public sealed record ChildOutcome(int ExitCode, string Error, ChildStop Stopped)
{
    /// <summary>
    /// Returns when the child finished its work; otherwise throws: cancellation as such, a limit as
    /// <paramref name="stopped"/> makes it, bad input as <paramref name="badInput"/> makes it, any other failure for a retry.
    /// </summary>
    public void Check(CancellationToken ct, Func<ChildStop, Exception> stopped, Func<string, Exception> badInput)
    {
        switch (Stopped)
        {
            case ChildStop.Cancelled:
                throw new OperationCanceledException("The child process was cancelled.", ct);
            case ChildStop.TimedOut or ChildStop.OutOfMemory:
                throw stopped(Stopped);
        }
        if (ExitCode == ChildCommand.BadInputExit)
            throw badInput(Error);
        if (ExitCode != 0)
            throw new InvalidOperationException($"The child process ended with exit code {ExitCode}: {Error}");
    }
}
