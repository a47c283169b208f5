using System.Runtime.InteropServices;

namespace ControlPlane.Workers.Training;

/// <summary>
/// LightGBM parallelizes with OpenMP, whose threads by default spin while they wait for each other. On a machine
/// shared with other work (a worker that also serves the web app, a CI box, other builds) spinning threads take the
/// cores the working ones need: 100 rounds on 1 M rows took 59–78 s spinning and 25 s waiting passively on the shared
/// 2-core reference machine (docs/benchmarks.md). OpenMP reads <c>OMP_WAIT_POLICY</c> once, when LightGBM's native
/// library loads, from the process environment, which .NET's <see cref="Environment.SetEnvironmentVariable(string, string)"/>
/// does not change on Unix; so it is set through libc before the first LightGBM trainer, unless the operator set it.
/// </summary>
internal static partial class OpenMpWaitPolicy
{
    private const string Name = "OMP_WAIT_POLICY";
    private static int _done;

    public static void PreferPassive()
    {
        if (Interlocked.Exchange(ref _done, 1) == 1 || Environment.GetEnvironmentVariable(Name) is not null)
            return;
        if (OperatingSystem.IsWindows())
        {
            Environment.SetEnvironmentVariable(Name, "PASSIVE"); // on Windows this is the process environment
            return;
        }
        try
        {
            _ = SetEnv(Name, "PASSIVE", 0);
        }
        catch (Exception e) when (e is DllNotFoundException or EntryPointNotFoundException)
        {
            // a libc without setenv: LightGBM then keeps OpenMP's default
        }
    }

    [LibraryImport("libc", EntryPoint = "setenv", StringMarshalling = StringMarshalling.Utf8)]
    private static partial int SetEnv(string name, string value, int overwrite);
}
