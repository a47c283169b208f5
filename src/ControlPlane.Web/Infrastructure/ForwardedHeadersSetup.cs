using System.Net;
using Microsoft.AspNetCore.HttpOverrides;

namespace ControlPlane.Web;

/// <summary>
/// Behind a TLS proxy: X-Forwarded-For and X-Forwarded-Proto are believed only from the proxies and networks named in
/// <c>ControlPlane:ForwardedHeaders</c>; then the client's address reaches the audit trail, and HTTPS gives HSTS and Secure
/// cookies. With none named, the headers are ignored (anyone could send them).
/// </summary>
internal sealed class ForwardedHeadersSettings
{
    public const string Section = "ControlPlane:ForwardedHeaders";

    public List<string> KnownProxies { get; set; } = [];
    public List<string> KnownNetworks { get; set; } = [];

    public bool Enabled => KnownProxies.Count > 0 || KnownNetworks.Count > 0;
}

internal static class ForwardedHeadersSetup
{
    public static IServiceCollection AddForwardedHeadersFromSettings(this IServiceCollection services)
    {
        services.AddOptions<ForwardedHeadersSettings>().BindConfiguration(ForwardedHeadersSettings.Section)
            .Validate(s => s.KnownProxies.All(p => IPAddress.TryParse(p, out _)), $"{ForwardedHeadersSettings.Section}:KnownProxies holds IP addresses.")
            .Validate(s => s.KnownNetworks.All(n => System.Net.IPNetwork.TryParse(n, out _)), $"{ForwardedHeadersSettings.Section}:KnownNetworks holds CIDR networks (10.0.0.0/8).")
            .ValidateOnStart();
        services.AddOptions<ForwardedHeadersOptions>().Configure<Microsoft.Extensions.Options.IOptions<ForwardedHeadersSettings>>((o, settings) =>
        {
            o.ForwardedHeaders = ForwardedHeaders.XForwardedFor | ForwardedHeaders.XForwardedProto;
            o.KnownProxies.Clear();
            o.KnownIPNetworks.Clear();
            foreach (var proxy in settings.Value.KnownProxies)
                o.KnownProxies.Add(IPAddress.Parse(proxy));
            foreach (var network in settings.Value.KnownNetworks)
                o.KnownIPNetworks.Add(System.Net.IPNetwork.Parse(network));
        });
        return services;
    }

    public static IApplicationBuilder UseForwardedHeadersFromSettings(this WebApplication app)
    {
        if (app.Services.GetRequiredService<Microsoft.Extensions.Options.IOptions<ForwardedHeadersSettings>>().Value.Enabled)
            app.UseForwardedHeaders();
        return app;
    }
}
