using ControlPlane.Domain.Common;
using ControlPlane.Domain.Identity;

namespace ControlPlane.Web.Auth;

/// <summary>
/// Every API endpoint declares the scope a token needs to call it: <see cref="RequiresScope"/> where it says so, else
/// read for GET and HEAD and write for the rest. A token without it gets a 403 before the handler runs. The services
/// check again where it matters (no save without write, no model outside the list), so a missed declaration still
/// cannot widen a token.
/// </summary>
public static class TokenScopeFilter
{
    /// <summary>Endpoint metadata naming the scope a token needs.</summary>
    public sealed record RequiredScope(TokenScopes Scope);

    public static TBuilder RequiresScope<TBuilder>(this TBuilder builder, TokenScopes scope) where TBuilder : IEndpointConventionBuilder =>
        builder.WithMetadata(new RequiredScope(scope));

    public static TBuilder CheckTokenScopes<TBuilder>(this TBuilder builder) where TBuilder : IEndpointConventionBuilder =>
        builder.AddEndpointFilter(async (invocation, next) =>
        {
            // The request's actor, as ActorMiddleware read it from the principal.
            var context = invocation.HttpContext;
            var actor = context.RequestServices.GetRequiredService<ActorContext>().Current;
            if (actor.Scopes is not null)
                actor.RequireScope(ScopeOf(context));
            return await next(invocation);
        });

    public static TokenScopes ScopeOf(HttpContext context) =>
        context.GetEndpoint()?.Metadata.GetMetadata<RequiredScope>()?.Scope
        ?? (HttpMethods.IsGet(context.Request.Method) || HttpMethods.IsHead(context.Request.Method) ? TokenScopes.Read : TokenScopes.Write);
}
