namespace ControlPlane.Workers.Cli;

/// <summary>
/// What may follow <c>dotnet ControlPlane.Workers.dll</c> when it runs as a job server: configuration overrides only
/// (<c>--Key=value</c>, <c>--Key value</c>, <c>/Key value</c>, <c>Key=value</c>). Help or any other word prints the usage
/// (exit 2) instead of starting a job server on whatever database the defaults name.
/// </summary>
public static class JobServerArguments
{
    public const string Usage = """
        usage: ControlPlane.Workers [--Key=value ...]           run a job server (settings as in appsettings.json)
               ControlPlane.Workers drift ...                    drift statistics between two files (--help for options)
               ControlPlane.Workers evaluate ...                 evaluate an ONNX model on a file (--help for options)
               ControlPlane.Workers audit verify|public-key|new-key ID
        example: ControlPlane.Workers --Database:Provider=PostgreSql --ConnectionStrings:ControlPlane="Host=…" --Workers:Queues:0=gpu
        """;

    public static bool IsHelp(string arg) => arg is "--help" or "-h" or "-?" or "/?" or "/h" or "help";

    /// <summary>The first argument that is not a configuration override, or null when all are.</summary>
    public static string? Unexpected(string[] args)
    {
        for (var i = 0; i < args.Length; i++)
        {
            var arg = args[i];
            if (IsHelp(arg))
                return arg;
            var isKey = arg.StartsWith("--", StringComparison.Ordinal) || arg.StartsWith('/');
            if (isKey && arg.Length > (arg[0] == '/' ? 1 : 2))
            {
                if (!arg.Contains('=') && ++i >= args.Length)
                    return arg; // a key without its value
                continue;
            }
            if (!isKey && arg.IndexOf('=') > 0)
                continue;
            return arg;
        }
        return null;
    }
}
