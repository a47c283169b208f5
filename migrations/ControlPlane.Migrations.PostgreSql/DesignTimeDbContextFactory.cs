using ControlPlane.Domain.Persistence;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Design;

namespace ControlPlane.Migrations.PostgreSql;

/// <summary>Used by `dotnet ef` only; no connection is opened to add a migration or script it.</summary>
public sealed class DesignTimeDbContextFactory : IDesignTimeDbContextFactory<ControlPlaneDbContext>
{
    public ControlPlaneDbContext CreateDbContext(string[] args)
    {
        var options = new DbContextOptionsBuilder<ControlPlaneDbContext>();
        ControlPlaneDatabase.Configure(options, DatabaseProvider.PostgreSql, "Host=localhost;Database=controlplane;Username=controlplane");
        return new ControlPlaneDbContext(options.Options);
    }
}
