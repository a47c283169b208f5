using ControlPlane.Domain.Audit;
using ControlPlane.Domain.Common;

namespace ControlPlane.Web.Auth;

internal static class AccessDeniedAudit
{
    /// <summary>Records a refused request. Runs inside authorization, before the request's audit origin is set.</summary>
    public static Task RecordAsync(HttpContext context, string? detail = null)
    {
        var origin = AuditOrigin.From(Actor.FromPrincipal(context.User),
            CorrelationId.Of(context), context.Connection.RemoteIpAddress?.ToString());
        var reason = $"{context.Request.Method} {context.Request.Path}" + (detail is null ? "" : $": {detail}");
        return context.RequestServices.GetRequiredService<AuditLog>()
            .RecordAsync(AuditActions.AccessDenied, reason: reason, origin: origin, ct: context.RequestAborted);
    }
}
