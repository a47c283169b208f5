using BenchmarkDotNet.Running;

namespace ControlPlane.Benchmarks;

// dotnet run -c Release --project benchmarks/ControlPlane.Benchmarks -- verify [events] [repeats]
// dotnet run -c Release --project benchmarks/ControlPlane.Benchmarks -- --filter '*' --job short
// dotnet run -c Release --project benchmarks/ControlPlane.Benchmarks -- registry-seed DATA_DIR [models] [versionsPerModel]
// dotnet run -c Release --project benchmarks/ControlPlane.Benchmarks -- models-page http://127.0.0.1:5097 USER PASSWORD [runs]
// dotnet run -c Release --project benchmarks/ControlPlane.Benchmarks -- upload-memory src/ControlPlane.Web/bin/Release/net10.0/ControlPlane.Web.dll [megabytes]
// dotnet run -c Release --project benchmarks/ControlPlane.Benchmarks -- profile [rows] [columns] [repeats]
// dotnet run -c Release --project benchmarks/ControlPlane.Benchmarks -- drift [rows] [columns] [repeats]
// dotnet run -c Release --project benchmarks/ControlPlane.Benchmarks -- evaluate-pipeline [rows] [features] [repeats]
// dotnet run -c Release --project benchmarks/ControlPlane.Benchmarks -- evaluate-importance [rows] [features] [runs]
// dotnet run -c Release --project benchmarks/ControlPlane.Benchmarks -- drift-parquet [referenceRows] [currentRows] [columns] [repeats]
// dotnet run -c Release --project benchmarks/ControlPlane.Benchmarks -- train [trainRows] [repeats] [csvToKeep]
// dotnet run -c Release --project benchmarks/ControlPlane.Benchmarks -- circuits [circuits] [runs]
// dotnet run -c Release --project benchmarks/ControlPlane.Benchmarks -- parquet-preview [groupRows] [columns] [repeats]
// dotnet run -c Release --project benchmarks/ControlPlane.Benchmarks -- jobs Sqlite|PostgreSql [connectionString|-] [jobs] [workerProcesses] [pollMs]
// dotnet run -c Release --project benchmarks/ControlPlane.Benchmarks -- stress out/web/ControlPlane.Web.dll [parquet|long-row|onnx|fit|drift|wide ...]
// dotnet run -c Release --project benchmarks/ControlPlane.Benchmarks -- child-start REPEATS out/web [out/web-r2r …]
// dotnet run -c Release --project benchmarks/ControlPlane.Benchmarks -- telemetry-compaction [segments] [rowsPerSegment] [features] [repeats]
// dotnet run -c Release --project benchmarks/ControlPlane.Benchmarks -- ingest src/ControlPlane.Web/bin/Release/net10.0/ControlPlane.Web.dll [rows] [batchRows] [latencyBatches] [senders] [rounds]
// dotnet run -c Release --project benchmarks/ControlPlane.Benchmarks -- production-windows-generate DIR [rows]; then -- production-windows DIR [direct-only]
// dotnet run -c Release --project benchmarks/ControlPlane.Benchmarks -- alias-swap WEB_DLL SAMPLE_DLL [seconds] [concurrency]
// dotnet run -c Release --project benchmarks/ControlPlane.Benchmarks -- job-usage [awaits] [spans] [repeats]
// dotnet run -c Release --project benchmarks/ControlPlane.Benchmarks -- --filter '*ClientPredict*'   (client Predict over bare ORT)
// (An explicit entry class: the web app's own top-level Program is referenced for WebApplicationFactory.)
public static class BenchmarkProgram
{
    public static async Task Main(string[] args)
    {
        if (args is ["verify", ..])
        {
            var events = args.Length > 1 ? int.Parse(args[1], System.Globalization.CultureInfo.InvariantCulture) : 1_000_000;
            var repeats = args.Length > 2 ? int.Parse(args[2], System.Globalization.CultureInfo.InvariantCulture) : 3;
            await AuditVerifyScenario.RunAsync(events, repeats);
            return;
        }
        if (args is ["job-usage", ..])
        {
            await JobUsageScenario.RunAsync(args.Length > 1 ? int.Parse(args[1]) : 200_000, args.Length > 2 ? int.Parse(args[2]) : 100_000,
                args.Length > 3 ? int.Parse(args[3]) : 5);
            return;
        }
        if (args is ["jobs", var provider, ..])
        {
            await JobThroughputScenario.RunAsync(provider, args.Length > 2 && args[2] != "-" ? args[2] : null, args.Length > 3 ? int.Parse(args[3]) : 1_000,
                args.Length > 4 ? int.Parse(args[4]) : 3, TimeSpan.FromMilliseconds(args.Length > 5 ? int.Parse(args[5]) : 2_000));
            return;
        }
        if (args is ["registry-seed", var directory, ..])
        {
            await RegistrySeedScenario.RunAsync(directory, args.Length > 2 ? int.Parse(args[2]) : 10_000, args.Length > 3 ? int.Parse(args[3]) : 10);
            return;
        }
        if (args is ["telemetry-compaction", ..])
        {
            await TelemetryCompactionScenario.RunAsync(args.Length > 1 ? int.Parse(args[1]) : 200, args.Length > 2 ? int.Parse(args[2]) : 1_000,
                args.Length > 3 ? int.Parse(args[3]) : 20, args.Length > 4 ? int.Parse(args[4]) : 3);
            return;
        }
        if (args is ["ingest-stages", ..])
        {
            await IngestScenario.StagesAsync(args.Length > 1 ? int.Parse(args[1]) : 100_000);
            return;
        }
        if (args is ["ingest", var ingestWeb, ..])
        {
            await IngestScenario.RunAsync(Path.GetFullPath(ingestWeb), args.Length > 2 ? int.Parse(args[2]) : 200_000,
                args.Length > 3 ? int.Parse(args[3]) : 10_000, args.Length > 4 ? int.Parse(args[4]) : 200, args.Length > 5 ? int.Parse(args[5]) : 1, args.Length > 6 ? int.Parse(args[6]) : 2);
            return;
        }
        if (args is ["child-start", var childRepeats, .. var folders] && folders.Length > 0)
        {
            await ChildStartScenario.RunAsync(folders, int.Parse(childRepeats, System.Globalization.CultureInfo.InvariantCulture));
            return;
        }
        if (args is ["alias-swap", var swapWeb, var swapSample, ..])
        {
            await AliasSwapScenario.RunAsync(Path.GetFullPath(swapWeb), Path.GetFullPath(swapSample), args.Length > 3 ? int.Parse(args[3]) : 30, args.Length > 4 ? int.Parse(args[4]) : 8);
            return;
        }
        if (args is ["stress", var stressedWeb, ..])
        {
            await StressScenario.RunAsync(Path.GetFullPath(stressedWeb), args[2..]);
            return;
        }
        if (args is ["upload-memory", var webDll, ..])
        {
            await UploadMemoryScenario.RunAsync(webDll, args.Length > 2 ? int.Parse(args[2]) : 500);
            return;
        }
        if (args is ["circuits", ..])
        {
            await CircuitsScenario.RunAsync(args.Length > 1 ? int.Parse(args[1]) : 40, args.Length > 2 ? int.Parse(args[2]) : 10);
            return;
        }
        if (args is ["models-page", var baseUrl, var user, var password, ..])
        {
            await ModelsPageScenario.RunAsync(baseUrl, user, password, args.Length > 4 ? int.Parse(args[4]) : 10);
            return;
        }
        if (args is ["production-windows-generate", var telemetryDir, ..])
        {
            await ProductionWindowsScenario.GenerateAsync(telemetryDir, args.Length > 2 ? long.Parse(args[2], System.Globalization.CultureInfo.InvariantCulture) : 10_000_000);
            return;
        }
        if (args is ["production-windows", var windowsDir, ..])
        {
            await ProductionWindowsScenario.MeasureAsync(windowsDir, compareDeduplicated: args is not [_, _, "direct-only"]);
            return;
        }
        if (args is ["drift-parquet", ..])
        {
            await DriftParquetScenario.RunAsync(args.Length > 1 ? int.Parse(args[1]) : 3_000_000, args.Length > 2 ? int.Parse(args[2]) : 300_000,
                args.Length > 3 ? int.Parse(args[3]) : 100, args.Length > 4 ? int.Parse(args[4]) : 2);
            return;
        }
        if (args is ["drift-parquet-run", var dir, var refRows, var curRows, var cols])
        {
            await DriftParquetScenario.MeasureAsync(dir, int.Parse(refRows), int.Parse(curRows), int.Parse(cols));
            return;
        }
        if (args is ["profile", ..])
        {
            await ProfileScenario.RunAsync(args.Length > 1 ? int.Parse(args[1]) : 1_000_000, args.Length > 2 ? int.Parse(args[2]) : 20, args.Length > 3 ? int.Parse(args[3]) : 3);
            return;
        }
        if (args is ["profile-run", var mode, var path])
        {
            await ProfileScenario.MeasureAsync(mode, path);
            return;
        }
        if (args is ["drift", ..])
        {
            await DriftScenario.RunAsync(args.Length > 1 ? int.Parse(args[1]) : 1_000_000, args.Length > 2 ? int.Parse(args[2]) : 20, args.Length > 3 ? int.Parse(args[3]) : 3);
            return;
        }
        if (args is ["drift-run", var reference, var current])
        {
            DriftScenario.Measure(reference, current);
            return;
        }
        if (args is ["train", ..])
        {
            await TrainScenario.RunAsync(args.Length > 1 ? int.Parse(args[1]) : 1_000_000, args.Length > 2 ? int.Parse(args[2]) : 1, args.Length > 3 ? args[3] : null);
            return;
        }
        if (args is ["train-run", var trainer, var csv, .. var overrides])
        {
            await TrainScenario.MeasureAsync(trainer, csv, overrides.Select(o => o.Split('=')).ToDictionary(o => o[0], o => double.Parse(o[1], System.Globalization.CultureInfo.InvariantCulture)));
            return;
        }
        if (args is ["parquet-preview", ..])
        {
            await PreviewScenario.RunAsync(args.Length > 1 ? int.Parse(args[1]) : 1_000_000, args.Length > 2 ? int.Parse(args[2]) : 20, args.Length > 3 ? int.Parse(args[3]) : 3);
            return;
        }
        if (args is ["evaluate-importance", ..])
        {
            await EvaluateImportanceScenario.RunAsync(args.Length > 1 ? int.Parse(args[1]) : 200_000, args.Length > 2 ? int.Parse(args[2]) : 20, args.Length > 3 ? int.Parse(args[3]) : 3);
            return;
        }
        if (args is ["evaluate-pipeline", ..])
        {
            await EvaluatePipelineScenario.RunAsync(args.Length > 1 ? int.Parse(args[1]) : 200_000, args.Length > 2 ? int.Parse(args[2]) : 20, args.Length > 3 ? int.Parse(args[3]) : 3);
            return;
        }
        BenchmarkSwitcher.FromAssembly(typeof(BenchmarkProgram).Assembly).Run(args);
    }
}
