using ControlPlane.Domain.Common;
using ControlPlane.Domain.Persistence;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace ControlPlane.Workers.Demo;

/// <summary>
/// <c>ControlPlane:Demo:Seed=true</c> (or <c>--demo</c>): on an instance without models, creates the demo users, prints
/// their passwords once to the console (never to the logs) and queues the seeding job.
/// </summary>
public sealed class DemoOnStartup(IServiceScopeFactory scopes, IConfiguration configuration, IDbContextFactory<ControlPlaneDbContext> contexts) : IHostedService
{
    public const string Setting = "ControlPlane:Demo:Seed";

    public async Task StartAsync(CancellationToken cancellationToken)
    {
        if (!configuration.GetValue<bool>(Setting))
            return;
        await using (var db = await contexts.CreateDbContextAsync(cancellationToken))
            if (await db.Models.AnyAsync(cancellationToken))
                return;
        await using var scope = OperationScope.Begin(scopes, Actor.System("demo"));
        var users = await scope.ServiceProvider.GetRequiredService<DemoLauncher>().LaunchAsync(cancellationToken);
        Console.WriteLine("Demo data is loading in the background. Demo users (passwords shown only now):");
        foreach (var user in users)
            Console.WriteLine($"  {user.UserName,-12} {user.Role,-20} {user.Password}");
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
