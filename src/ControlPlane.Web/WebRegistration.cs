using ControlPlane.Domain.Identity;
using ControlPlane.Domain.Persistence;
using ControlPlane.Web.Apis.Input;
using ControlPlane.Web.Auth;
using ControlPlane.Web.Components;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Components.Server.Circuits;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.AspNetCore.Identity;
using MudBlazor.Services;

namespace ControlPlane.Web;

public static class WebRegistration
{
    public static IHostApplicationBuilder AddControlPlaneWeb(this IHostApplicationBuilder builder)
    {
        var services = builder.Services;
        services.AddRazorComponents().AddInteractiveServerComponents();
        services.AddMudServices();
        Components.Shared.ChartMode.Register(services); // charts follow light/dark: Plotly draws its own colours
        services.AddMemoryCache();
        services.AddHttpContextAccessor();
        services.AddCascadingAuthenticationState();
        // Open pages re-check their user every minute (disabled, signed out everywhere, roles changed): Auth/RevalidatingIdentityStateProvider.
        services.AddScoped<Microsoft.AspNetCore.Components.Authorization.AuthenticationStateProvider, Auth.RevalidatingIdentityStateProvider>();
        services.AddScoped<Auth.CircuitActivity>();
        services.AddOptions<Auth.SessionOptions>().BindConfiguration(Auth.SessionOptions.Section)
            .Validate(o => o.IdleTimeout >= TimeSpan.FromMinutes(1), "ControlPlane:Sessions:IdleTimeout must be at least a minute.").ValidateOnStart();
        services.AddOptions<Microsoft.AspNetCore.Authentication.Cookies.CookieAuthenticationOptions>(IdentityConstants.ApplicationScheme)
            .Configure<Microsoft.Extensions.Options.IOptions<Auth.SessionOptions>>((cookie, sessions) => cookie.ExpireTimeSpan = sessions.Value.IdleTimeout);
        services.AddScoped<CircuitHandler, ActorCircuitHandler>();
        services.AddHostedService<FirstRunBanner>();
        services.AddOptions<Infrastructure.LiveOptions>().BindConfiguration(Infrastructure.LiveOptions.Section)
            .Validate(o => o.PollInterval > TimeSpan.Zero, "ControlPlane:Live:PollInterval must be positive.").ValidateOnStart();
        services.AddHostedService<Infrastructure.LiveProgressWatcher>();
        services.AddHealthChecks().AddCheck<Infrastructure.StoppingHealthCheck>("stopping", tags: ["ready"]);

        new IdentityBuilder(typeof(ControlPlaneUser), typeof(IdentityRole), services)
            .AddSignInManager<ControlPlaneSignInManager>()
            .AddDefaultTokenProviders();
        services.Configure<SecurityStampValidatorOptions>(o =>
        {
            o.ValidationInterval = TimeSpan.FromMinutes(1);
            o.OnRefreshingPrincipal = SessionCookieEvents.KeepSessionAsync;
        });

        services.AddAuthentication(o =>
            {
                o.DefaultScheme = AuthSchemes.Smart;
                o.DefaultChallengeScheme = AuthSchemes.Smart;
                o.DefaultForbidScheme = AuthSchemes.Smart;
            })
            // Any Authorization header means an API client: it is judged on its token alone, never on a cookie.
            .AddPolicyScheme(AuthSchemes.Smart, "Cookie or bearer token", o => o.ForwardDefaultSelector = context =>
                context.Request.Headers.Authorization.Count > 0 ? AuthSchemes.PersonalAccessToken : IdentityConstants.ApplicationScheme)
            .AddScheme<AuthenticationSchemeOptions, PersonalAccessTokenHandler>(AuthSchemes.PersonalAccessToken, null)
            .AddIdentityCookies();
        // Single sign-on beside local accounts when ControlPlane:Oidc is set; a half configuration stops the start here.
        services.AddAuthentication().AddControlPlaneOidc(OidcOptions.Read(builder.Configuration));
        services.ConfigureApplicationCookie(o =>
        {
            o.LoginPath = "/account/login";
            o.LogoutPath = "/account/logout";
            o.AccessDeniedPath = "/account/access-denied";
            o.Cookie.Name = "ControlPlane.Auth";
            o.Cookie.HttpOnly = true;
            o.Cookie.SecurePolicy = CookieSecurePolicy.SameAsRequest;
            o.Cookie.SameSite = SameSiteMode.Lax;
            o.SlidingExpiration = true; // ExpireTimeSpan: ControlPlane:Sessions:IdleTimeout (above)
            // Every sign-in starts a server-side session the cookie carries; every request checks it (revoked, idle).
            SessionCookieEvents.Attach(o.Events);
            // API callers get status codes, not a redirect to the login page.
            o.Events.OnRedirectToLogin = context => context.Request.IsApiRequest()
                ? ProblemResponses.WriteAsync(context.HttpContext, StatusCodes.Status401Unauthorized, "Authentication required.",
                    "Send a valid personal access token as 'Authorization: Bearer <token>'.")
                : RedirectAsync(context);
            o.Events.OnRedirectToAccessDenied = async context =>
            {
                await AccessDeniedAudit.RecordAsync(context.HttpContext);
                if (context.Request.IsApiRequest())
                    await ProblemResponses.WriteAsync(context.HttpContext, StatusCodes.Status403Forbidden, "Forbidden.", "Your roles do not allow this.");
                else
                    await RedirectAsync(context);
            };
        });

        services.AddAuthorizationBuilder()
            .AddPolicy(Policies.Admin, p => p.RequireRole(Policies.Roles[Policies.Admin]))
            .AddPolicy(Policies.Reviewer, p => p.RequireRole(Policies.Roles[Policies.Reviewer]))
            .AddPolicy(Policies.DataScientist, p => p.RequireRole(Policies.Roles[Policies.DataScientist]))
            .AddPolicy(Policies.MetricsScrape, p => p.AddAuthenticationSchemes(AuthSchemes.PersonalAccessToken).RequireRole(Policies.Roles[Policies.MetricsScrape]));

        services.ConfigureHttpJsonOptions(o => o.SerializerOptions.Converters.Add(new System.Text.Json.Serialization.JsonStringEnumConverter()));
        // Binding failures go through the exception handler, so they get the same ProblemDetails naming the field.
        services.Configure<Microsoft.AspNetCore.Routing.RouteHandlerOptions>(o => o.ThrowOnBadRequest = true);
        services.AddProblemDetails();
        services.AddExceptionHandler<DomainExceptionHandler>();
        services.AddOpenApi(o => o.AddInputRules());
        services.AddAntiforgery(o => o.Cookie.SecurePolicy = CookieSecurePolicy.SameAsRequest);
        services.AddSignInRateLimit();
        services.AddForwardedHeadersFromSettings();
        builder.AddControlPlaneWebTelemetry();
        return builder;
    }

    private static Task RedirectAsync(Microsoft.AspNetCore.Authentication.RedirectContext<Microsoft.AspNetCore.Authentication.Cookies.CookieAuthenticationOptions> context)
    {
        context.Response.Redirect(context.RedirectUri);
        return Task.CompletedTask;
    }
}
