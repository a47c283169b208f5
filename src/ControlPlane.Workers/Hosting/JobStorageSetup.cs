using ControlPlane.Domain.Persistence;
using Hangfire;
using Hangfire.PostgreSql;
using Hangfire.SqlServer;
using Hangfire.Storage.SQLite;
using Microsoft.Data.Sqlite;

namespace ControlPlane.Workers.Hosting;

/// <summary>
/// Hangfire storage per provider: the app's own database (own schema) on SQL Server and PostgreSQL;
/// a separate file on SQLite so job polling does not contend with application writes.
/// </summary>
public static class JobStorageSetup
{
    public const string SqlServerSchema = "HangFire";
    public const string PostgreSqlSchema = "hangfire";
    public const string SqliteFileName = "controlplane-jobs.db";

    public static IGlobalConfiguration UseControlPlaneStorage(this IGlobalConfiguration config, DatabaseSettings database, WorkerOptions workers) =>
        database.Provider switch
        {
            DatabaseProvider.Sqlite => config.UseSQLiteStorage(SqliteStoragePath(database, workers), new SQLiteStorageOptions
            {
                QueuePollInterval = workers.QueuePollInterval,
            }),
            DatabaseProvider.SqlServer => config.UseSqlServerStorage(database.ConnectionString, new SqlServerStorageOptions
            {
                SchemaName = SqlServerSchema,
                PrepareSchemaIfNecessary = true,
                QueuePollInterval = workers.QueuePollInterval,
                SlidingInvisibilityTimeout = workers.InvisibilityTimeout,
            }),
            DatabaseProvider.PostgreSql => config.UsePostgreSqlStorage(o => o.UseNpgsqlConnection(database.ConnectionString), new PostgreSqlStorageOptions
            {
                SchemaName = PostgreSqlSchema,
                PrepareSchemaIfNecessary = true,
                QueuePollInterval = workers.QueuePollInterval,
                InvisibilityTimeout = workers.InvisibilityTimeout,
                UseSlidingInvisibilityTimeout = true,
                DistributedLockTimeout = workers.LockTimeout,
            }),
            _ => throw new ArgumentOutOfRangeException(nameof(database)),
        };

    public static string SqliteStoragePath(DatabaseSettings database, WorkerOptions workers)
    {
        if (!string.IsNullOrWhiteSpace(workers.SqliteStoragePath))
            return Path.GetFullPath(workers.SqliteStoragePath, database.DataDirectory);
        var appFile = new SqliteConnectionStringBuilder(database.ConnectionString).DataSource;
        var directory = Path.GetDirectoryName(Path.GetFullPath(appFile, database.DataDirectory)) ?? database.DataDirectory;
        Directory.CreateDirectory(directory);
        return Path.Combine(directory, SqliteFileName);
    }
}
