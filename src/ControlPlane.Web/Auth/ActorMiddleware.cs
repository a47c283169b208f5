using ControlPlane.Domain.Audit;
using ControlPlane.Domain.Common;

namespace ControlPlane.Web.Auth;

/// <summary>
/// Hands the authenticated user of an HTTP request to the domain services of that request, and to the
/// audit trail together with the request's correlation id and client address.
/// </summary>
internal static class ActorMiddleware
{
    public static IApplicationBuilder UseActorContext(this IApplicationBuilder app) =>
        app.Use(async (context, next) =>
        {
            var actor = Actor.FromPrincipal(context.User);
            context.RequestServices.GetRequiredService<ActorContext>().Current = actor;
            var correlation = CorrelationId.Of(context);
            context.Response.Headers[CorrelationId.Header] = correlation;
            using (AuditAmbient.UseOrigin(AuditOrigin.From(actor, correlation, context.Connection.RemoteIpAddress?.ToString(), CorrelationId.CallerOf(context))))
            using (ControlPlane.Domain.Identity.TokenScopeGuard.Use(actor))
                await next(context);
        });
}
