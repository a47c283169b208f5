using ControlPlane.Domain.Identity;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;

namespace ControlPlane.Web;

/// <summary>
/// After migrations: creates the configured bootstrap admin, and while no user exists prints the
/// one-time setup link to the console (never to the log, which may be shipped elsewhere).
/// </summary>
internal sealed class FirstRunBanner(
    BootstrapAdminSeeder seeder,
    FirstRunSetup setup,
    IServer server,
    IHostApplicationLifetime lifetime) : IHostedService
{
    public async Task StartAsync(CancellationToken cancellationToken)
    {
        await seeder.SeedAsync(cancellationToken);
        var token = await setup.GetOrCreateTokenAsync(cancellationToken);
        if (token is null)
            return;
        lifetime.ApplicationStarted.Register(() =>
        {
            var address = server.Features.Get<IServerAddressesFeature>()?.Addresses.FirstOrDefault() ?? "http://localhost:5000";
            address = address.Replace("://[::]", "://localhost").Replace("://0.0.0.0", "://localhost").Replace("://+", "://localhost").Replace("://*", "://localhost");
            Console.WriteLine();
            Console.WriteLine("No user exists yet. Create the first admin with this one-time link:");
            Console.WriteLine($"Setup link: {address.TrimEnd('/')}/setup?token={token}");
            Console.WriteLine();
        });
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
