using ControlPlane.Domain.Common;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace ControlPlane.Domain.Identity.Oidc;

/// <summary>The switch <c>ControlPlane:Oidc:LocalSignIn</c>: off, no user name and password is accepted for signing in.</summary>
public static class LocalSignIn
{
    public const string TurnedOff = "Sign-in with a user name and password is turned off here; sign in through the identity provider.";

    public static bool IsOn(IServiceProvider services) => services.GetRequiredService<IOptions<OidcSettings>>().Value.LocalSignIn;

    public static void Require(IServiceProvider services)
    {
        if (!IsOn(services))
            throw new ForbiddenException(TurnedOff);
    }
}
