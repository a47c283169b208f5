using Microsoft.Extensions.Configuration;

namespace ControlPlane.Domain.Persistence;

/// <summary>The resolved database settings of this process (provider, connection string, data directory).</summary>
public sealed record DatabaseSettings(DatabaseProvider Provider, string ConnectionString, string DataDirectory)
{
    public static DatabaseSettings From(IConfiguration configuration, string contentRoot)
    {
        var provider = ControlPlaneDatabase.ParseProvider(configuration[$"{DatabaseOptions.Section}:{nameof(DatabaseOptions.Provider)}"] ?? nameof(DatabaseProvider.Sqlite));
        var dataDirectory = Path.GetFullPath(configuration[$"{ControlPlaneOptions.Section}:{nameof(ControlPlaneOptions.DataDirectory)}"] ?? "data", contentRoot);
        var connectionString = ControlPlaneDatabase.ResolveConnectionString(
            provider, configuration.GetConnectionString(ControlPlaneDatabase.ConnectionStringName), dataDirectory);
        return new DatabaseSettings(provider, connectionString, dataDirectory);
    }
}
