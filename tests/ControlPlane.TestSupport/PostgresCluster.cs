using System.Diagnostics;

namespace ControlPlane.TestSupport;

/// <summary>
/// A PostgreSQL cluster of one test's own, for tests that stop and start the server (the shared one of scripts/test.sh
/// serves every other test). Run as the postgres user when the tests run as root, as PostgreSQL requires.
/// </summary>
public sealed class PostgresCluster : IDisposable
{
    private readonly string _bin;
    private readonly TempDirectory _directory = new("cp-pg-own");
    private readonly bool _asPostgres = Environment.UserName == "root";

    public PostgresCluster()
    {
        _bin = Directory.GetDirectories("/usr/lib/postgresql").Select(d => Path.Combine(d, "bin")).Where(Directory.Exists)
            .OrderByDescending(d => d, StringComparer.Ordinal).FirstOrDefault() ?? throw new InvalidOperationException("No PostgreSQL binaries under /usr/lib/postgresql.");
        Port = FreePort.Next();
        if (_asPostgres)
            Run("chown", "postgres", _directory.Path);
        Pg("initdb", "-D", Data, "-U", "postgres", "-A", "trust", "-E", "UTF8", "--no-locale");
        Start();
    }

    public int Port { get; }
    public string ConnectionString => $"Host=127.0.0.1;Port={Port};Username=postgres;Database=postgres;Timeout=5";
    private string Data => Path.Combine(_directory.Path, "data");

    public void Start() => Pg("pg_ctl", "-D", Data, "-l", Path.Combine(_directory.Path, "server.log"), "-w",
        "-o", $"-p {Port} -k {_directory.Path} -c listen_addresses=127.0.0.1 -c fsync=off", "start");

    public void Stop() => Pg("pg_ctl", "-D", Data, "-m", "fast", "-w", "stop");

    private void Pg(string tool, params string[] args)
    {
        var path = Path.Combine(_bin, tool);
        if (_asPostgres)
            Run("runuser", ["-u", "postgres", "--", path, .. args]);
        else
            Run(path, args);
    }

    private static void Run(string file, params string[] args)
    {
        using var process = Process.Start(new ProcessStartInfo(file, args) { RedirectStandardOutput = true, RedirectStandardError = true })!;
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEnd();
        process.WaitForExit();
        if (process.ExitCode != 0)
            throw new InvalidOperationException($"{file} {string.Join(' ', args)} exited with {process.ExitCode}: {error}{output.Result}");
    }

    public void Dispose()
    {
        try
        {
            Pg("pg_ctl", "-D", Data, "-m", "immediate", "stop");
        }
        catch (InvalidOperationException)
        {
            // already stopped
        }
        _directory.Dispose();
    }
}
