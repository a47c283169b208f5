using System.Security.Claims;
using ControlPlane.Domain.Identity;

namespace ControlPlane.Domain.Common;

/// <summary>Who is acting: a signed-in user, a job, or nobody. Services authorize against it.</summary>
public sealed record Actor(string? UserId, string Name, IReadOnlySet<string> Roles, bool IsAuthenticated)
{
    public static Actor Anonymous { get; } = new(null, "anonymous", new HashSet<string>(), false);

    public static Actor System(string name = "system") =>
        new(null, name, new HashSet<string>(ControlPlaneRoles.All), true);

    public static Actor FromPrincipal(ClaimsPrincipal? principal)
    {
        if (principal?.Identity?.IsAuthenticated != true)
            return Anonymous;
        var id = principal.FindFirstValue(ClaimTypes.NameIdentifier);
        var name = principal.Identity.Name ?? id ?? "unknown";
        var roles = principal.FindAll(ClaimTypes.Role).Select(c => c.Value).ToHashSet(StringComparer.Ordinal);
        return new Actor(id, name, roles, true);
    }

    public bool IsInRole(string role) => Roles.Contains(role);

    public void RequireAuthenticated()
    {
        if (!IsAuthenticated)
            throw new AuthenticationFailedException("Sign in first.");
    }

    public void RequireAnyRole(params string[] roles)
    {
        RequireAuthenticated();
        if (!roles.Any(Roles.Contains))
            throw new ForbiddenException($"This needs the role {string.Join(" or ", roles)}.");
    }

    public string RequireUserId()
    {
        RequireAuthenticated();
        return UserId ?? throw new ForbiddenException("Only a user can do this, not a job.");
    }
}
