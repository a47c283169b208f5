using ControlPlane.Domain.Audit;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;

namespace ControlPlane.Domain.Persistence;

/// <summary>The one provider switch: picks the EF Core provider and its migrations assembly.</summary>
public static class ControlPlaneDatabase
{
    public const string ConnectionStringName = "ControlPlane";
    public const string SqliteFileName = "controlplane.db";

    public static DatabaseProvider ParseProvider(string? name)
    {
        if (Enum.TryParse<DatabaseProvider>(name, ignoreCase: true, out var provider) && Enum.IsDefined(provider) && !int.TryParse(name, out _))
            return provider;
        throw new InvalidOperationException(
            $"Database:Provider '{name}' is not supported. Use one of: {string.Join(", ", Enum.GetNames<DatabaseProvider>())}.");
    }

    public static string MigrationsAssembly(DatabaseProvider provider) => provider switch
    {
        DatabaseProvider.Sqlite => "ControlPlane.Migrations.Sqlite",
        DatabaseProvider.SqlServer => "ControlPlane.Migrations.SqlServer",
        DatabaseProvider.PostgreSql => "ControlPlane.Migrations.PostgreSql",
        _ => throw new ArgumentOutOfRangeException(nameof(provider)),
    };

    /// <summary>The configured connection string, or for SQLite a file in the data directory.</summary>
    public static string ResolveConnectionString(DatabaseProvider provider, string? configured, string dataDirectory)
    {
        if (!string.IsNullOrWhiteSpace(configured))
            return configured;
        if (provider != DatabaseProvider.Sqlite)
            throw new InvalidOperationException(
                $"ConnectionStrings:{ConnectionStringName} is required when Database:Provider is {provider}.");
        Directory.CreateDirectory(dataDirectory);
        return new SqliteConnectionStringBuilder
        {
            DataSource = Path.Combine(dataDirectory, SqliteFileName),
            ForeignKeys = true,
            DefaultTimeout = 30,
        }.ToString();
    }

    public static DbContextOptionsBuilder Configure(DbContextOptionsBuilder options, DatabaseProvider provider, string connectionString, TimeProvider? time = null, AuditKeyRing? keys = null)
    {
        var migrations = MigrationsAssembly(provider);
        options.AddInterceptors(Identity.TokenScopeGuard.Instance, new AuditInterceptor(time ?? TimeProvider.System, keys));
        return provider switch
        {
            DatabaseProvider.Sqlite => options
                .UseSqlite(connectionString, o => o.MigrationsAssembly(migrations))
                .AddInterceptors(SqlitePragmaInterceptor.Instance),
            DatabaseProvider.SqlServer => options.UseSqlServer(connectionString, o => o.MigrationsAssembly(migrations)),
            DatabaseProvider.PostgreSql => options.UseNpgsql(connectionString, o => o.MigrationsAssembly(migrations)),
            _ => throw new ArgumentOutOfRangeException(nameof(provider)),
        };
    }
}
