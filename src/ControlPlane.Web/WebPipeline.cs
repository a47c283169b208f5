using ControlPlane.Web.Apis;
using ControlPlane.Web.Apis.Input;
using ControlPlane.Web.Auth;
using ControlPlane.Web.Components;
using ControlPlane.Web.Infrastructure;
using Hangfire;
using Microsoft.AspNetCore.Diagnostics.HealthChecks;
using Scalar.AspNetCore;

namespace ControlPlane.Web;

public static class WebPipeline
{
    private const string JobsPath = "/jobs";
    private const string ApiReferencePath = "/api-reference";

    public static WebApplication UseControlPlaneWeb(this WebApplication app)
    {
        app.UseForwardedHeadersFromSettings();
        app.UseCircuitShutdownGate();
        app.UseSecurityHeaders(JobsPath, ApiReferencePath);
        app.UseExceptionHandler();
        app.UseStatusCodePages();
        if (!app.Environment.IsDevelopment())
            app.UseHsts();

        app.UseRateLimiter();
        app.UseAuthentication();
        app.UseSameOriginApiWrites();
        app.UseAuthorization();
        app.UseActorContext();
        app.UseAntiforgery();
        app.UseJobDashboardGuard(JobsPath);

        app.MapStaticAssets();
        app.MapHealthChecks("/health/live", new HealthCheckOptions { Predicate = _ => false }).AllowAnonymous();
        app.MapHealthChecks("/health/ready", new HealthCheckOptions { Predicate = c => c.Tags.Contains("ready") }).AllowAnonymous();
        app.MapMetricsEndpoint();
        app.MapOpenApi().AllowAnonymous();
        app.MapScalarApiReference(ApiReferencePath, o => o.WithTitle("ControlPlane API").DisableDefaultFonts()).AllowAnonymous();

        // Every endpoint's route, query and body values pass the same input rules (Apis/Input) before its handler runs,
        // and a token calling it must hold the scope it declares (Auth/TokenScopeFilter).
        var api = app.MapGroup("").CheckInputRules().CheckTokenScopes();
        api.MapAuthApi();
        api.MapMeApi();
        api.MapMySessionsApi();
        api.MapAdminUsersApi();
        api.MapOidcGroupMappingsApi();
        api.MapSystemApi();
        api.MapAuditApi();
        api.MapModelsApi();
        api.MapModelPermissionsApi();
        api.MapProductionIngestApi();
        api.MapServingReportsApi();
        api.MapDatasetsApi();
        api.MapEvaluationsApi();
        api.MapDriftApi();
        api.MapProductionMonitorsApi();
        api.MapComparisonsApi();
        api.MapPromotionsApi();
        api.MapPoliciesApi();
        api.MapWebhooksApi();
        api.MapTrainingApi();
        api.MapSearchApi();
        api.MapSchedulesApi();
        api.MapCostsApi();
        api.MapAccountEndpoints();
        app.MapOidcEndpoints();

        app.MapHangfireDashboardWithAuthorizationPolicy(Policies.Admin, JobsPath, new DashboardOptions
        {
            DashboardTitle = "ControlPlane jobs",
            AppPath = "/",
            // Read-only: triggering, deleting or re-queuing jobs here would bypass the audited Schedules page and job
            // API (removing the audit-digest job would silently stop the anchoring of the audit trail).
            IsReadOnlyFunc = _ => true,
        });

        app.MapRazorComponents<App>().AddInteractiveServerRenderMode();
        return app;
    }
}
