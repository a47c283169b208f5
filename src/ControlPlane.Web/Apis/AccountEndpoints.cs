using ControlPlane.Domain.Audit;
using ControlPlane.Domain.Identity;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Mvc;

namespace ControlPlane.Web.Apis;

/// <summary>Browser-only account endpoints (form posts with antiforgery), not part of the REST API.</summary>
public static class AccountEndpoints
{
    public static IEndpointRouteBuilder MapAccountEndpoints(this IEndpointRouteBuilder routes)
    {
        routes.MapPost("/account/logout", LogoutAsync).RequireAuthorization().ExcludeFromDescription();
        return routes;
    }

    public static async Task<IResult> LogoutAsync(SignInManager<ControlPlaneUser> signIn, AuditLog audit, [FromForm] string? returnUrl)
    {
        await audit.RecordAsync(AuditActions.Logout, "user", AuditAmbient.Origin.ActorId);
        await signIn.SignOutAsync();
        return TypedResults.LocalRedirect("/account/login?loggedOut=true");
    }
}
