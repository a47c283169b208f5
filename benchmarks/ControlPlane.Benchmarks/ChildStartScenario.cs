using System.Diagnostics;
using System.Globalization;
using System.Text;
using ControlPlane.TestModels;

namespace ControlPlane.Benchmarks;

/// <summary>
/// What a cold child process costs: each evaluation's scoring and each fit starts <c>dotnet ControlPlane.Workers.dll</c>
/// afresh. Times the one-shot <c>evaluate</c> command (the same start, runtime load, ONNX Runtime load and scoring code
/// as the <c>score</c> child) on a tiny model and a 100-row CSV, for each published folder given (a web folder runs it as
/// <c>ChildProcess</c> does there), alternating folders so that all see the same machine.
/// </summary>
internal static class ChildStartScenario
{
    public static async Task RunAsync(IReadOnlyList<string> folders, int repeats)
    {
        var work = Directory.CreateTempSubdirectory("cp-child-start").FullName;
        var model = Path.Combine(work, "linear.onnx");
        var data = Path.Combine(work, "data.csv");
        await File.WriteAllBytesAsync(model, HandBuiltOnnx.LinearRegressor([1f, 2f], 0.5f));
        var csv = new StringBuilder("a,b,y\n");
        for (var i = 0; i < 100; i++)
            csv.Append(CultureInfo.InvariantCulture, $"{i},{i % 7},{i + 2 * (i % 7) + 0.5}\n");
        await File.WriteAllTextAsync(data, csv.ToString());

        var times = folders.ToDictionary(f => f, _ => new List<double>());
        for (var r = 0; r < repeats + 1; r++) // the first round warms the disk cache and is dropped
            foreach (var folder in folders)
            {
                var clock = Stopwatch.StartNew();
                using var child = Process.Start(new ProcessStartInfo("dotnet",
                    [.. HostArguments(folder), Path.Combine(folder, "ControlPlane.Workers.dll"), "evaluate", "--model", model, "--data", data, "--label", "y", "--task", "regression"])
                {
                    RedirectStandardOutput = true, RedirectStandardError = true,
                })!;
                var output = await child.StandardOutput.ReadToEndAsync();
                var error = await child.StandardError.ReadToEndAsync();
                await child.WaitForExitAsync();
                if (child.ExitCode != 0)
                    throw new InvalidOperationException($"{folder}: exit {child.ExitCode}: {error}{output}");
                if (r > 0)
                    times[folder].Add(clock.Elapsed.TotalMilliseconds);
            }
        foreach (var (folder, list) in times)
        {
            list.Sort();
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"{folder}: median {list[list.Count / 2]:F0} ms, min {list[0]:F0}, max {list[^1]:F0} over {list.Count}"));
        }
        Directory.Delete(work, recursive: true);
    }

    /// <summary>In the web's folder the worker runs on the web's runtimeconfig and deps, as <c>ChildProcess</c> starts it there.</summary>
    private static string[] HostArguments(string folder) =>
        File.Exists(Path.Combine(folder, "ControlPlane.Web.deps.json"))
            ? ["exec", "--runtimeconfig", Path.Combine(folder, "ControlPlane.Web.runtimeconfig.json"), "--depsfile", Path.Combine(folder, "ControlPlane.Web.deps.json")]
            : [];
}
