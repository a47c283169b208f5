namespace ControlPlane.Web;

/// <summary>
/// Headers on every answer: nosniff, a referrer policy, no caching unless the endpoint chose otherwise (answers carry
/// token secrets, setup links, demo passwords), and a content security policy on HTML. The Blazor pages get what Blazor,
/// MudBlazor and Plotly need: scripts from this site only, inline styles (MudBlazor sets style attributes), SignalR to this
/// site, and blob: URLs of this page (InputFile reads the chosen file through one). The job dashboard and the API reference are third-party pages with inline scripts: theirs allows those, still
/// from this site only.
/// </summary>
internal static class SecurityHeaders
{
    public const string PagePolicy =
        "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data: blob:; font-src 'self' data:; " +
        "connect-src 'self' blob:; object-src 'none'; base-uri 'self'; form-action 'self'; frame-ancestors 'none'";

    public const string ThirdPartyPagePolicy =
        "default-src 'self'; script-src 'self' 'unsafe-inline'; style-src 'self' 'unsafe-inline'; img-src 'self' data: blob:; font-src 'self' data:; " +
        "connect-src 'self'; object-src 'none'; base-uri 'self'; form-action 'self'; frame-ancestors 'none'";

    public static IApplicationBuilder UseSecurityHeaders(this IApplicationBuilder app, params string[] thirdPartyPages) =>
        app.Use(async (context, next) =>
        {
            context.Response.OnStarting(() =>
            {
                var headers = context.Response.Headers;
                headers.XContentTypeOptions = "nosniff";
                headers["Referrer-Policy"] = "same-origin";
                if (headers.CacheControl.Count == 0)
                    headers.CacheControl = "no-store";
                if (context.Response.ContentType?.StartsWith("text/html", StringComparison.OrdinalIgnoreCase) == true)
                    headers.ContentSecurityPolicy = thirdPartyPages.Any(p => context.Request.Path.StartsWithSegments(p)) ? ThirdPartyPagePolicy : PagePolicy;
                return Task.CompletedTask;
            });
            await next(context);
        });
}
