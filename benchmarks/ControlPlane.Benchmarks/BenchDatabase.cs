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

    public ControlPlaneDbContext CreateContext(bool audited)
    {
        var options = new DbContextOptionsBuilder<ControlPlaneDbContext>();
        if (audited)
            ControlPlaneDatabase.Configure(options, DatabaseProvider.Sqlite, ConnectionString);
        else
            options.UseSqlite(ConnectionString, o => o.MigrationsAssembly(ControlPlaneDatabase.MigrationsAssembly(DatabaseProvider.Sqlite)))
                .AddInterceptors(SqlitePragmaInterceptor.Instance);
        return new ControlPlaneDbContext(options.Options);
    }

    public void Dispose()
    {
        SqliteConnection.ClearAllPools();
        System.IO.Directory.Delete(Directory, recursive: true);
    }
}
