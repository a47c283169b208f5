using ControlPlane.Domain.Common;

namespace ControlPlane.Web.Auth;

/// <summary>Hands the authenticated user of an HTTP request to the domain services of that request.</summary>
internal static class ActorMiddleware
{
    public static IApplicationBuilder UseActorContext(this IApplicationBuilder app) =>
        app.Use((context, next) =>
        {
            context.RequestServices.GetRequiredService<ActorContext>().Current = Actor.FromPrincipal(context.User);
            return next(context);
        });
}
