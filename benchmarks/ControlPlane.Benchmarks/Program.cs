using BenchmarkDotNet.Running;
using ControlPlane.Benchmarks;

// dotnet run -c Release --project benchmarks/ControlPlane.Benchmarks -- verify [events] [repeats]
// dotnet run -c Release --project benchmarks/ControlPlane.Benchmarks -- --filter '*AuditCapture*'
if (args is ["verify", ..])
{
    var events = args.Length > 1 ? int.Parse(args[1], System.Globalization.CultureInfo.InvariantCulture) : 1_000_000;
    var repeats = args.Length > 2 ? int.Parse(args[2], System.Globalization.CultureInfo.InvariantCulture) : 3;
    await AuditVerifyScenario.RunAsync(events, repeats);
    return;
}
BenchmarkSwitcher.FromAssembly(typeof(Program).Assembly).Run(args);
