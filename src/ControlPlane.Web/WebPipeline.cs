using ControlPlane.Web.Apis;
using ControlPlane.Web.Auth;
using ControlPlane.Web.Components;
using Hangfire;
using Microsoft.AspNetCore.Diagnostics.HealthChecks;
using Scalar.AspNetCore;

namespace ControlPlane.Web;

public static class WebPipeline
{
    public static WebApplication UseControlPlaneWeb(this WebApplication app)
    {
        app.UseExceptionHandler();
        app.UseStatusCodePages();
        if (!app.Environment.IsDevelopment())
            app.UseHsts();

        app.UseAuthentication();
        app.UseAuthorization();
        app.UseActorContext();
        app.UseAntiforgery();

        app.MapStaticAssets();
        app.MapHealthChecks("/health/live", new HealthCheckOptions { Predicate = _ => false }).AllowAnonymous();
        app.MapHealthChecks("/health/ready", new HealthCheckOptions { Predicate = c => c.Tags.Contains("ready") }).AllowAnonymous();
        app.MapOpenApi().AllowAnonymous();
        app.MapScalarApiReference("/api-reference", o => o.WithTitle("ControlPlane API")).AllowAnonymous();

        app.MapAuthApi();
        app.MapMeApi();
        app.MapAdminUsersApi();
        app.MapSystemApi();
        app.MapAuditApi();
        app.MapModelsApi();
        app.MapDatasetsApi();
        app.MapEvaluationsApi();
        app.MapDriftApi();
        app.MapPromotionsApi();
        app.MapPoliciesApi();
        app.MapWebhooksApi();
        app.MapTrainingApi();
        app.MapSearchApi();
        app.MapSchedulesApi();
        app.MapAccountEndpoints();

        app.MapHangfireDashboardWithAuthorizationPolicy(Policies.Admin, "/jobs", new DashboardOptions
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
