using ControlPlane.Workers.Drift.Statistics;

namespace ControlPlane.Workers.Cli;

/// <summary>
/// <c>drift --reference FILE --current FILE [--columns a,b] [--methods ks,…] [--format json|table]</c>: compares two
/// CSV or Parquet files column by column (docs/drift-statistics.md). Needs no configuration or database. Exit 0
/// whether or not drift is found; 2 with a one-line reason on bad input.
/// </summary>
public static class DriftCommand
{
    public const string Usage =
        "usage: drift --reference FILE --current FILE [--columns a,b] [--methods ks,wasserstein,psi,jensenshannon,chisquare] [--format json|table]";

    private static readonly string[] Options = ["--reference", "--current", "--columns", "--methods", "--format"];

    public static bool Matches(string[] args) => args is ["drift", ..];

    public static Task<int> RunAsync(string[] args, TextWriter output, TextWriter error, CancellationToken ct = default) =>
        CliRunner.RunAsync("drift", error, async () =>
        {
            if (args is [_, "--help" or "-h"])
            {
                await output.WriteLineAsync(Usage);
                return CliRunner.Ok;
            }
            var line = CommandLine.Parse(args[1..], Options);
            var referencePath = InputFile.Existing("reference file", line.Required("--reference"));
            var currentPath = InputFile.Existing("current file", line.Required("--current"));
            List<DriftMethod>? methods = line.List("--methods") is { } names ? [.. names.Select(DriftMethodNames.Parse).Distinct()] : null;
            var table = line.Choice("--format", ["json", "table"], "json") == "table";

            var (reference, current) = await DriftFiles.ReadAsync(referencePath, currentPath, line.List("--columns"), ct);
            var result = DriftEngine.Compare(reference, current, DriftMethodChoice.Options(methods, reference));

            if (table)
                await DriftTable.WriteAsync(output, result);
            else
                await output.WriteLineAsync(DriftJson.Serialize(result));
            return CliRunner.Ok;
        });
}
