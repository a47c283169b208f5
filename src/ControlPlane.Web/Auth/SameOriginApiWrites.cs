namespace ControlPlane.Web.Auth;

/// <summary>
/// Unsafe API requests (POST, PUT, PATCH, DELETE) that authenticate with the browser's cookie must come from this site:
/// Sec-Fetch-Site says same-origin, or, from a browser that does not send it, Origin names this host. Anything else is a
/// 403 (cross-site request forgery, whatever the body's content type). Bearer-token calls carry no ambient credential and
/// pass untouched.
/// </summary>
internal static class SameOriginApiWrites
{
    public static IApplicationBuilder UseSameOriginApiWrites(this IApplicationBuilder app) =>
        app.Use(async (context, next) =>
        {
            var request = context.Request;
            if (IsUnsafe(request.Method) && request.IsApiRequest() && request.Headers.Authorization.Count == 0
                && context.User.Identity?.IsAuthenticated == true && !FromThisSite(request))
            {
                const string why = "A cookie-authenticated API write from another site (or without Origin/Sec-Fetch-Site) is refused; API clients send a bearer token.";
                await AccessDeniedAudit.RecordAsync(context, why);
                await ProblemResponses.WriteAsync(context, StatusCodes.Status403Forbidden, "Forbidden.", why);
                return;
            }
            await next(context);
        });

    private static bool IsUnsafe(string method) =>
        !(HttpMethods.IsGet(method) || HttpMethods.IsHead(method) || HttpMethods.IsOptions(method) || HttpMethods.IsTrace(method));

    private static bool FromThisSite(HttpRequest request)
    {
        var site = request.Headers["Sec-Fetch-Site"].ToString();
        if (site.Length > 0)
            return site is "same-origin";
        var origin = request.Headers.Origin.ToString();
        return origin.Length > 0 && Uri.TryCreate(origin, UriKind.Absolute, out var uri)
            && string.Equals(uri.Scheme, request.Scheme, StringComparison.OrdinalIgnoreCase)
            && string.Equals(uri.Authority, request.Host.Value, StringComparison.OrdinalIgnoreCase);
    }
}
