using ControlPlane.Domain.Persistence;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Design;

namespace ControlPlane.Migrations.Sqlite;

/// <summary>Used by `dotnet ef` only; no connection is opened to add a migration or script it.</summary>
public sealed class DesignTimeDbContextFactory : IDesignTimeDbContextFactory<ControlPlaneDbContext>
{
    public ControlPlaneDbContext CreateDbContext(string[] args)
    {
        var options = new DbContextOptionsBuilder<ControlPlaneDbContext>();
        ControlPlaneDatabase.Configure(options, DatabaseProvider.Sqlite, "Data Source=design-time.db");
        return new ControlPlaneDbContext(options.Options);
    }
}
