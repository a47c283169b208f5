using ControlPlane.Domain.Common;
using ControlPlane.Domain.Identity;
using ControlPlane.Domain.Registry;
using ControlPlane.TestModels;
using ControlPlane.TestSupport;
using ControlPlane.Workers.Inspection;
using Microsoft.Extensions.DependencyInjection;

namespace ControlPlane.Workers.Tests.Governance;

/// <summary>The domain on a SQLite file with a controllable clock, the real artifact inspector, and HTTP clients for webhooks.</summary>
internal static class GovernanceHost
{
    public static readonly Actor Scientist = new("scientist-id", "scientist", new HashSet<string> { ControlPlaneRoles.DataScientist }, true);
    public static readonly Actor Admin = new("admin-id", "admin", new HashSet<string> { ControlPlaneRoles.Admin }, true);

    // Test webhook receivers listen on loopback: allowed on purpose, as an admin allows a receiver inside the company.
    public static Task<DomainHost> StartAsync() => DomainHost.StartAsync(new Dictionary<string, string?> { ["ControlPlane:Webhooks:AllowedNetworks:0"] = "127.0.0.1/32" }, services: s =>
    {
        s.AddSingleton<IArtifactInspector, ArtifactInspector>();
        s.AddHttpClient();
    });

    public static async Task<string> ModelWithVersionAsync(this DomainHost host)
    {
        var registry = host.As<ModelRegistry>(Scientist);
        var name = $"gov-{Guid.NewGuid():N}"[..12];
        await registry.CreateModelAsync(name, null, null);
        await registry.RegisterVersionAsync(name, new MemoryStream(HandBuiltOnnx.Identity()), "model.onnx",
            new VersionMetadata(ModelCard: new ModelCard("credit scoring", "retail only", "high", "risk-team")));
        return name;
    }
}
