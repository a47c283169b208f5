using System.Diagnostics;

namespace ControlPlane.Workers.Isolation;

/// <summary>
/// A child process ends itself once the worker that started it is gone: a worker killed with SIGKILL cannot kill its
/// children, and a fit left running would hold the cores for hours. <see cref="ChildProcess"/> passes its process id.
/// </summary>
public static class ParentWatch
{
    public const string Variable = "CONTROLPLANE_PARENT_PID";
    /// <summary>The exit code of a child whose parent went away (as if killed by SIGKILL).</summary>
    public const int OrphanExit = 137;
    private static readonly TimeSpan Interval = TimeSpan.FromMilliseconds(500);

    /// <summary>Starts watching the parent named by <see cref="Variable"/>, when there is one.</summary>
    public static void Start()
    {
        if (!int.TryParse(Environment.GetEnvironmentVariable(Variable), out var parentId))
            return;
        var thread = new Thread(() =>
        {
            while (Alive(parentId))
                Thread.Sleep(Interval);
            Environment.Exit(OrphanExit);
        }) { IsBackground = true, Name = "parent watch" };
        thread.Start();
    }

    private static bool Alive(int processId)
    {
        try
        {
            using var parent = Process.GetProcessById(processId);
            return !parent.HasExited;
        }
        catch (ArgumentException)
        {
            return false; // no such process
        }
    }
}
