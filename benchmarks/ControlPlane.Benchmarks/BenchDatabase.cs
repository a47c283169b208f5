using ControlPlane.Domain.Persistence;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;

namespace ControlPlane.Benchmarks;

/// <summary>A migrated SQLite file in a temp folder, as the app creates it.</summary>
internal sealed class BenchDatabase : IDisposable
{
    public BenchDatabase()
    {
        Directory = Path.Combine(Path.GetTempPath(), $"cp-bench-{Guid.NewGuid():N}");
        System.IO.Directory.CreateDirectory(Directory);
        ConnectionString = ControlPlaneDatabase.ResolveConnectionString(DatabaseProvider.Sqlite, null, Directory);
        using var db = CreateContext(audited: true);
        db.Database.Migrate();
    }

    public string Directory { get; }
    public string ConnectionString { get; }

    private DbContextOptions<ControlPlaneDbContext>? _audited, _unaudited;

    /// <summary>Options are built once per kind, as the app's context factory does.</summary>
    public ControlPlaneDbContext CreateContext(bool audited)
    {
        if (audited)
            return new ControlPlaneDbContext(_audited ??= Build(o => ControlPlaneDatabase.Configure(o, DatabaseProvider.Sqlite, ConnectionString)));
        return new ControlPlaneDbContext(_unaudited ??= Build(o => o
            .UseSqlite(ConnectionString, s => s.MigrationsAssembly(ControlPlaneDatabase.MigrationsAssembly(DatabaseProvider.Sqlite)))
            .AddInterceptors(SqlitePragmaInterceptor.Instance)));
    }

    private static DbContextOptions<ControlPlaneDbContext> Build(Action<DbContextOptionsBuilder<ControlPlaneDbContext>> configure)
    {
        var builder = new DbContextOptionsBuilder<ControlPlaneDbContext>();
        configure(builder);
        return builder.Options;
    }

    public void Dispose()
    {
        SqliteConnection.ClearAllPools();
        System.IO.Directory.Delete(Directory, recursive: true);
    }
}
