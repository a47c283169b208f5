using Microsoft.Extensions.DependencyInjection;

namespace ControlPlane.Domain.Production.Ingest;

internal static class IngestRegistration
{
    public static IServiceCollection AddTelemetryIngest(this IServiceCollection services)
    {
        services.AddSingleton<FeatureSchemas>();
        services.AddSingleton<IngestGate>();
        services.AddScoped<TelemetryIngest>();
        return services;
    }
}
