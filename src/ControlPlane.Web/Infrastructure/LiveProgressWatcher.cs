using ControlPlane.Domain.Live;
using Microsoft.Extensions.Options;

namespace ControlPlane.Web.Infrastructure;

public sealed class LiveOptions
{
    public const string Section = "ControlPlane:Live";

    /// <summary>How often open pages' rows are re-read while any page watches (jobs in other processes).</summary>
    public TimeSpan PollInterval { get; set; } = TimeSpan.FromSeconds(1);
}

/// <summary>
/// Runs <see cref="ChangeFeed.TickAsync"/> on an interval, but only while some open page subscribes: an idle
/// server sends no queries.
/// </summary>
public sealed class LiveProgressWatcher(ChangeFeed feed, IOptions<LiveOptions> options, TimeProvider time, ILogger<LiveProgressWatcher> logger)
    : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        try
        {
            while (!stoppingToken.IsCancellationRequested)
            {
                await feed.WhenSubscribedAsync(stoppingToken);
                using var timer = new PeriodicTimer(options.Value.PollInterval, time);
                while (feed.HasSubscribers && await timer.WaitForNextTickAsync(stoppingToken))
                    await TickQuietlyAsync(stoppingToken);
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested) { }
    }

    private async Task TickQuietlyAsync(CancellationToken ct)
    {
        try
        {
            await feed.TickAsync(ct);
        }
        catch (Exception e) when (e is not OperationCanceledException) // a busy or restarting database: try again next tick
        {
            logger.LogWarning(e, "Reading live progress failed");
        }
    }
}
