using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace ControlPlane.Domain.Persistence;

/// <summary>
/// Applies pending migrations before the rest of the host starts, so several processes may start at once on one
/// database. SQL Server: EF Core's migration lock (a session application lock). PostgreSQL: EF Core's lock there is a
/// table lock held per migration transaction, and three workers started together on an empty database still applied
/// the same migration twice ("relation already exists"); a session advisory lock around the whole run serializes them.
/// </summary>
public sealed class DatabaseMigrator(
    IDbContextFactory<ControlPlaneDbContext> contexts,
    IOptions<DatabaseOptions> options,
    ILogger<DatabaseMigrator> logger) : IHostedService
{
    /// <summary>The advisory lock key, a constant of this app ("CPMIGRAT" in ASCII).</summary>
    private const long MigrationLockKey = 0x43504D4947524154;

    public async Task StartAsync(CancellationToken cancellationToken)
    {
        if (!options.Value.MigrateOnStartup)
            return;
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        await using var serialized = db.Database.ProviderName == "Npgsql.EntityFrameworkCore.PostgreSQL"
            ? await AdvisoryLockAsync(db.Database.GetConnectionString()!, cancellationToken)
            : null;
        var pending = (await db.Database.GetPendingMigrationsAsync(cancellationToken)).ToList();
        if (pending.Count == 0)
            return;
        logger.LogInformation("Applying {Count} migration(s): {Migrations}", pending.Count, string.Join(", ", pending));
        await db.Database.MigrateAsync(cancellationToken);
    }

    /// <summary>Holds a PostgreSQL session advisory lock until the returned connection is disposed.</summary>
    private static async Task<Npgsql.NpgsqlConnection> AdvisoryLockAsync(string connectionString, CancellationToken ct)
    {
        var connection = new Npgsql.NpgsqlConnection(new Npgsql.NpgsqlConnectionStringBuilder(connectionString) { Pooling = false }.ConnectionString);
        await connection.OpenAsync(ct);
        await using var command = new Npgsql.NpgsqlCommand($"SELECT pg_advisory_lock({MigrationLockKey})", connection);
        await command.ExecuteNonQueryAsync(ct);
        return connection;
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
