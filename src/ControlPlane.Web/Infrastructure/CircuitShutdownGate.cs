namespace ControlPlane.Web.Infrastructure;

/// <summary>
/// Lets a stop finish while browsers are connected. On shutdown SignalR closes the Blazor circuits it knows of, the
/// browser reconnects at once, and Kestrel waits for that new connection until the host's shutdown timeout
/// (dotnet/aspnetcore#58947): a stop took the whole timeout whenever a page was open. Once the application is
/// stopping, circuit requests are refused with 503 and those already running are aborted.
/// </summary>
public static class CircuitShutdownGate
{
    private const string CircuitPath = "/_blazor";

    public static IApplicationBuilder UseCircuitShutdownGate(this IApplicationBuilder app)
    {
        var stopping = app.ApplicationServices.GetRequiredService<IHostApplicationLifetime>().ApplicationStopping;
        return app.Use(async (context, next) =>
        {
            if (!context.Request.Path.StartsWithSegments(CircuitPath))
            {
                await next(context);
                return;
            }
            if (stopping.IsCancellationRequested)
            {
                context.Response.StatusCode = StatusCodes.Status503ServiceUnavailable;
                return;
            }
            using var abort = stopping.Register(static c => ((HttpContext)c!).Abort(), context);
            await next(context);
        });
    }
}
