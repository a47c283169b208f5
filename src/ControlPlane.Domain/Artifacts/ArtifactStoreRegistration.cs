using ControlPlane.Domain.Persistence;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace ControlPlane.Domain.Artifacts;

internal static class ArtifactStoreRegistration
{
    /// <summary><see cref="ArtifactOptions"/> validated on start, and the store its provider names.</summary>
    public static IServiceCollection AddArtifactStore(this IServiceCollection services)
    {
        services.AddOptions<ArtifactOptions>().BindConfiguration(ArtifactOptions.Section).ValidateOnStart();
        services.AddSingleton<IValidateOptions<ArtifactOptions>, ArtifactOptionsValidator>();
        services.AddSingleton<IArtifactStore>(sp =>
        {
            var options = sp.GetRequiredService<IOptions<ArtifactOptions>>();
            var database = sp.GetRequiredService<DatabaseSettings>();
            return ArtifactProviders.Parse(options.Value.Provider) switch
            {
                ArtifactProvider.FileSystem => new FileSystemArtifactStore(options, database),
                ArtifactProvider.AzureBlob => new AzureBlobArtifactStore(options, database, sp.GetService<AzureBlobClientOverrides>()),
                _ => throw new InvalidOperationException($"{ArtifactOptions.Section}:Provider '{options.Value.Provider}' is not one of {string.Join(", ", Enum.GetNames<ArtifactProvider>())}."),
            };
        });
        services.AddSingleton<ArtifactRollback>();
        services.AddSingleton<ArtifactSweep>();
        return services;
    }
}
