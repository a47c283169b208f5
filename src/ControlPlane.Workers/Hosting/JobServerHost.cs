using Hangfire;
using Hangfire.Common;
using Hangfire.Server;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace ControlPlane.Workers.Hosting;

/// <summary>
/// This process's Hangfire server, built as Hangfire's own <c>AddHangfireServer</c> builds it, with a stop that cannot
/// outlive the shutdown budget. On stop every running job's token is cancelled at once (jobs checkpoint or give their
/// job back to the queue, where another server takes it), then the server is given
/// <see cref="WorkerOptions.ShutdownTimeout"/> to finish. Hangfire's hosted service waits on a thread-pool registered
/// wait that was seen to miss the server's stopped signal: SIGTERM then took the host's whole 30 s and ended in an
/// unhandled OperationCanceledException. Here the wait is a plain blocking wait in short slices.
/// </summary>
public sealed class JobServerHost(IServiceProvider services, IOptions<WorkerOptions> options, ILogger<JobServerHost> logger) : IHostedService, IDisposable
{
    private static readonly TimeSpan Slice = TimeSpan.FromMilliseconds(100);
    private readonly IHostApplicationLifetime? _lifetime = services.GetService<IHostApplicationLifetime>();
    private BackgroundJobServer? _server;

    public Task StartAsync(CancellationToken cancellationToken)
    {
        // As Hangfire does: start once the application has started, so no job runs before every service is ready.
        if (_lifetime is null)
            Start();
        else
        {
            _lifetime.ApplicationStarted.Register(Start);
            // Jobs hear of the stop as soon as the host does, while the web server is still draining its requests.
            _lifetime.ApplicationStopping.Register(() => _server?.SendStop());
        }
        return Task.CompletedTask;
    }

    private void Start()
    {
        var o = options.Value;
        var serverOptions = new BackgroundJobServerOptions
        {
            Queues = o.ResolveQueues(),
            ServerName = o.ResolveServerName(),
            Activator = services.GetService<JobActivator>(),
            FilterProvider = services.GetService<IJobFilterProvider>(),
            TimeZoneResolver = services.GetService<ITimeZoneResolver>(),
            StopTimeout = TimeSpan.Zero,
            // Dispose waits this long for a server that did not stop in time; the budget was already spent by then.
            ShutdownTimeout = TimeSpan.FromSeconds(1),
        };
        if (o.WorkerCount > 0)
            serverOptions.WorkerCount = o.WorkerCount;
        var storage = services.GetRequiredService<JobStorage>();
        var processes = services.GetServices<IBackgroundProcess>();
#pragma warning disable CS0618 // the overload AddHangfireServer itself uses, to run jobs through the container's filters
        _server = HangfireServiceCollectionExtensions.GetInternalServices(services, out var factory, out var stateChanger, out var performer)
            ? new BackgroundJobServer(serverOptions, storage, processes, null, null, factory, performer, stateChanger)
            : new BackgroundJobServer(serverOptions, storage, processes);
#pragma warning restore CS0618
    }

    public async Task StopAsync(CancellationToken cancellationToken)
    {
        if (_server is not { } server)
            return;
        server.SendStop();
        var budget = options.Value.ShutdownTimeout;
        var stopped = await Task.Run(() =>
        {
            var deadline = DateTime.UtcNow + budget;
            while (!server.WaitForShutdown(Slice))
                if (DateTime.UtcNow >= deadline || cancellationToken.IsCancellationRequested)
                    return false;
            return true;
        }, CancellationToken.None);
        if (!stopped)
            logger.LogWarning("The job server did not stop within {Budget}; jobs still running are taken again by a server after this one is gone", budget);
    }

    public void Dispose() => _server?.Dispose();
}
