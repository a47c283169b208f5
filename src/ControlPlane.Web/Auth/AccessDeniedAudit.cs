using ControlPlane.Domain.Audit;
using ControlPlane.Domain.Common;

namespace ControlPlane.Web.Auth;

internal static class AccessDeniedAudit
{
    /// <summary>Records a refused request. Runs inside authorization, before the request's audit origin is set.</summary>
    public static Task RecordAsync(HttpContext context, string? detail = null)
    {
        var reason = $"{context.Request.Method} {context.Request.Path}" + (detail is null ? "" : $": {detail}");
        return context.RequestServices.GetRequiredService<AuditLog>()
            .RecordAsync(AuditActions.AccessDenied, reason: reason, origin: OriginOf(context), ct: context.RequestAborted);
    }

    /// <summary>Records a refused bearer token by the id of the stored token it matched, if any; never the secret.</summary>
    public static Task RecordTokenRefusedAsync(HttpContext context, Guid? tokenId, string why) =>
        context.RequestServices.GetRequiredService<AuditLog>().RecordAsync(AuditActions.TokenRefused, "token", tokenId?.ToString(),
            $"{why}: {context.Request.Method} {context.Request.Path}", origin: OriginOf(context), ct: context.RequestAborted);

    public static AuditOrigin OriginOf(HttpContext context) => AuditOrigin.From(Actor.FromPrincipal(context.User),
        CorrelationId.Of(context), context.Connection.RemoteIpAddress?.ToString(), CorrelationId.CallerOf(context));
}
