using System.Runtime.InteropServices;

namespace ControlPlane.TestSupport;

/// <summary>POSIX signals to another process (.NET's Process.Kill only sends SIGKILL).</summary>
internal static partial class Signals
{
    public const int SigTerm = 15;

    [DllImport("libc", EntryPoint = "kill", SetLastError = true)]
    public static extern int Kill(int pid, int signal);
}
