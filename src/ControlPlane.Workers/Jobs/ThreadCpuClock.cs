using System.Runtime.InteropServices;

namespace ControlPlane.Workers.Jobs;

/// <summary>
/// CPU time (user + system) of the calling thread: <c>clock_gettime(CLOCK_THREAD_CPUTIME_ID)</c> on Linux,
/// <c>GetThreadTimes</c> on Windows; other systems report zero (and the docs say so).
/// </summary>
internal static partial class ThreadCpuClock
{
    private const int LinuxThreadCpuClock = 3;

    [StructLayout(LayoutKind.Sequential)]
    private struct TimeSpec
    {
        public long Seconds;
        public long Nanoseconds;
    }

    [LibraryImport("libc", EntryPoint = "clock_gettime")]
    private static partial int ClockGetTime(int clock, out TimeSpec value);

    [LibraryImport("kernel32.dll")]
    [return: MarshalAs(UnmanagedType.Bool)]
    private static partial bool GetThreadTimes(IntPtr thread, out long creation, out long exit, out long kernel, out long user);

    [LibraryImport("kernel32.dll")]
    private static partial IntPtr GetCurrentThread();

    public static bool Supported { get; } = OperatingSystem.IsLinux() || OperatingSystem.IsWindows();

    /// <summary>The calling thread's CPU time in 100 ns ticks.</summary>
    public static long NowTicks()
    {
        if (OperatingSystem.IsLinux())
            return ClockGetTime(LinuxThreadCpuClock, out var t) == 0 ? t.Seconds * TimeSpan.TicksPerSecond + t.Nanoseconds / 100 : 0;
        if (OperatingSystem.IsWindows())
            return GetThreadTimes(GetCurrentThread(), out _, out _, out var kernel, out var user) ? kernel + user : 0;
        return 0;
    }
}
