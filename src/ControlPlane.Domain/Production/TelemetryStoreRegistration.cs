using ControlPlane.Domain.Artifacts;
using ControlPlane.Domain.Persistence;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace ControlPlane.Domain.Production;

internal static class TelemetryStoreRegistration
{
    /// <summary>The telemetry store that goes with the artifact store's provider, and the production options.</summary>
    public static IServiceCollection AddTelemetryStore(this IServiceCollection services)
    {
        services.AddOptions<ProductionOptions>().BindConfiguration(ProductionOptions.Section).ValidateOnStart();
        services.AddSingleton<IValidateOptions<ProductionOptions>, ProductionOptionsValidator>();
        services.AddSingleton<ITelemetryStore>(sp =>
        {
            var options = sp.GetRequiredService<IOptions<ArtifactOptions>>();
            var database = sp.GetRequiredService<DatabaseSettings>();
            return ArtifactProviders.Parse(options.Value.Provider) switch
            {
                ArtifactProvider.FileSystem => new FileSystemTelemetryStore(options, database),
                ArtifactProvider.AzureBlob => new AzureBlobTelemetryStore(options, database, sp.GetService<AzureBlobClientOverrides>()),
                _ => throw new InvalidOperationException($"{ArtifactOptions.Section}:Provider '{options.Value.Provider}' is not one of {string.Join(", ", Enum.GetNames<ArtifactProvider>())}."),
            };
        });
        return services;
    }
}
