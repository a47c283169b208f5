using Microsoft.Extensions.DependencyInjection.Extensions;
using ControlPlane.Domain;
using ControlPlane.Domain.Audit;
using ControlPlane.Domain.Common;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Time.Testing;

namespace ControlPlane.TestSupport;

/// <summary>The real domain services on a real database (SQLite file by default), migrated on start.</summary>
public sealed class DomainHost : IAsyncDisposable
{
    private readonly IHost _host;
    private readonly TempDirectory? _directory;

    private DomainHost(IHost host, TempDirectory? directory, FakeTimeProvider time)
    {
        _host = host;
        _directory = directory;
        Time = time;
    }

    public FakeTimeProvider Time { get; }
    public IServiceProvider Services => _host.Services;

    public static async Task<DomainHost> StartAsync(IDictionary<string, string?>? settings = null, Action<IServiceCollection>? services = null)
    {
        var directory = new TempDirectory("cp-domain");
        var config = new Dictionary<string, string?> { ["ControlPlane:DataDirectory"] = directory.Path };
        foreach (var (key, value) in settings ?? new Dictionary<string, string?>())
            config[key] = value;
        var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { ContentRootPath = directory.Path });
        builder.Configuration.AddInMemoryCollection(config);
        builder.Logging.SetMinimumLevel(LogLevel.Warning);
        // Sub-microsecond ticks on purpose: stored times must survive providers that keep only microseconds.
        var time = new FakeTimeProvider(new DateTimeOffset(2026, 1, 15, 9, 30, 0, TimeSpan.Zero).AddTicks(1_234_567));
        builder.Services.AddSingleton<TimeProvider>(time);
        builder.AddControlPlaneDomain();
        builder.Services.TryAddSingleton<ControlPlane.Domain.Jobs.IJobScheduler, NoJobSystem>();
        services?.Invoke(builder.Services);
        var host = builder.Build();
        try
        {
            await host.StartAsync();
        }
        catch
        {
            host.Dispose();
            directory.Dispose();
            throw;
        }
        return new DomainHost(host, directory, time);
    }

    /// <summary>
    /// A service resolved in a fresh scope whose actor is <paramref name="actor"/>; like the web host's
    /// middleware, it also makes that actor the audit origin of the calling flow.
    /// </summary>
    public T As<T>(Actor actor) where T : notnull
    {
        var scope = Services.CreateScope();
        scope.ServiceProvider.GetRequiredService<ActorContext>().Current = actor;
        AuditAmbient.UseOrigin(AuditOrigin.From(actor, null, null));
        return scope.ServiceProvider.GetRequiredService<T>();
    }

    /// <summary>Writes a signed digest and verifies the trail against the digests, as the recurring job and an auditor do.</summary>
    public async Task<AuditVerification> VerifyAuditAsync()
    {
        var digests = Services.GetRequiredService<AuditDigests>();
        await digests.WriteAsync();
        return await Services.GetRequiredService<AuditVerifier>().VerifyAsync(await digests.LoadAsync());
    }

    public async ValueTask DisposeAsync()
    {
        await _host.StopAsync();
        _host.Dispose();
        _directory?.Dispose();
    }
}
