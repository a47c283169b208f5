using ControlPlane.TestSupport;

namespace ControlPlane.Integration.Tests;

/// <summary>
/// docs/deploy.md says several processes may start at once on a new database: three worker processes started
/// together on an empty PostgreSQL database all migrate (one of them applying, the others waiting) and start.
/// </summary>
public sealed class PostgresConcurrentStartTests
{
    [Fact]
    public async Task Three_workers_started_together_on_an_empty_database_all_start()
    {
        var connectionString = await PostgresServer.CreateDatabaseAsync();
        using var data = new TempDirectory("cp-concurrent-start");
        var workers = Enumerable.Range(0, 3).Select(i => AppProcess.Start("ControlPlane.Workers", new Dictionary<string, string>
        {
            ["Database__Provider"] = "PostgreSql",
            ["ConnectionStrings__ControlPlane"] = connectionString,
            ["ControlPlane__DataDirectory"] = data.Path,
            ["Workers__ServerName"] = $"starter-{i}",
        }, data.Path)).ToList();
        try
        {
            foreach (var worker in workers)
                await worker.WaitForOutputAsync("Application started", TimeSpan.FromSeconds(120));
            Assert.All(workers, w => Assert.False(w.HasExited, w.Output));
            Assert.Single(workers, w => w.Output.Contains("Applying ", StringComparison.Ordinal));
        }
        finally
        {
            foreach (var worker in workers)
                await worker.DisposeAsync();
        }
    }
}
