using ControlPlane.Domain.Identity;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.Options;

namespace ControlPlane.Web.Auth;

/// <summary>Disabled accounts cannot sign in, and their cookies fail the periodic security-stamp check.</summary>
internal sealed class ControlPlaneSignInManager(
    UserManager<ControlPlaneUser> userManager,
    IHttpContextAccessor contextAccessor,
    IUserClaimsPrincipalFactory<ControlPlaneUser> claimsFactory,
    IOptions<IdentityOptions> optionsAccessor,
    ILogger<SignInManager<ControlPlaneUser>> logger,
    IAuthenticationSchemeProvider schemes,
    IUserConfirmation<ControlPlaneUser> confirmation)
    : SignInManager<ControlPlaneUser>(userManager, contextAccessor, claimsFactory, optionsAccessor, logger, schemes, confirmation)
{
    public override async Task<bool> CanSignInAsync(ControlPlaneUser user) =>
        !user.IsDisabled && await base.CanSignInAsync(user);

    public override async Task<ControlPlaneUser?> ValidateSecurityStampAsync(System.Security.Claims.ClaimsPrincipal? principal)
    {
        var user = await base.ValidateSecurityStampAsync(principal);
        return user is { IsDisabled: false } ? user : null;
    }
}
