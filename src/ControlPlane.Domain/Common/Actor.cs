using System.Security.Claims;
using ControlPlane.Domain.Identity;

namespace ControlPlane.Domain.Common;

/// <summary>
/// Who is acting: a signed-in user, a job, or nobody. Services authorize against it. A personal access token brings
/// its <see cref="Scopes"/> (null for a browser session or a job: everything the roles allow) and may be limited to
/// some <see cref="Models"/>.
/// </summary>
public sealed record Actor(string? UserId, string Name, IReadOnlySet<string> Roles, bool IsAuthenticated)
{
    /// <summary>Claim types a token's principal carries (one claim per scope, one per model).</summary>
    public const string ScopeClaim = "cp_scope", ModelClaim = "cp_model";

    public TokenScopes? Scopes { get; init; }
    /// <summary>The models a token is limited to, or null for every model.</summary>
    public IReadOnlySet<string>? Models { get; init; }

    public static Actor Anonymous { get; } = new(null, "anonymous", new HashSet<string>(), false);

    /// <summary>A job: it holds every role, under the name of the person it acts for (or "system").</summary>
    public bool IsSystem { get; init; }

    /// <summary>The browser session a cookie carries (<see cref="SessionClaim"/>); null for tokens and jobs.</summary>
    public Guid? SessionId { get; init; }

    public const string SessionClaim = "cp_session";

    public static Actor System(string name = "system") =>
        new(null, name, new HashSet<string>(ControlPlaneRoles.All), true) { IsSystem = true };

    public static Actor FromPrincipal(ClaimsPrincipal? principal)
    {
        if (principal?.Identity?.IsAuthenticated != true)
            return Anonymous;
        var id = principal.FindFirstValue(ClaimTypes.NameIdentifier);
        var name = principal.Identity.Name ?? id ?? "unknown";
        var roles = principal.FindAll(ClaimTypes.Role).Select(c => c.Value).ToHashSet(StringComparer.Ordinal);
        var scopeClaims = principal.FindAll(ScopeClaim).Select(c => c.Value).ToList();
        var modelClaims = principal.FindAll(ModelClaim).Select(c => c.Value).ToHashSet(StringComparer.OrdinalIgnoreCase);
        return new Actor(id, name, roles, true)
        {
            Scopes = scopeClaims.Count == 0 ? null : TokenScopeNames.Parse(scopeClaims),
            Models = modelClaims.Count == 0 ? null : modelClaims,
            SessionId = Guid.TryParse(principal.FindFirstValue(SessionClaim), out var session) ? session : null,
        };
    }

    public bool Has(TokenScopes scope) => Scopes is not { } scopes || scopes.HasFlag(scope);

    public void RequireScope(TokenScopes scope)
    {
        RequireAuthenticated();
        if (!Has(scope))
            throw new ForbiddenException($"This token lacks the {TokenScopeNames.Of(scope)[0]} scope (it has {string.Join(", ", TokenScopeNames.Of(Scopes!.Value))}).");
    }

    /// <summary>A token limited to some models may act on those only.</summary>
    public void RequireModel(string model)
    {
        if (Models is { } allowed && !allowed.Contains(model))
            throw new ForbiddenException($"This token is limited to the models {string.Join(", ", allowed.Order(StringComparer.Ordinal))}.");
    }

    public bool IsInRole(string role) => Roles.Contains(role);

    public void RequireAuthenticated()
    {
        if (!IsAuthenticated)
            throw new AuthenticationFailedException("Sign in first.");
    }

    /// <summary>Every service checks a role through here, so a token without the read scope (an ingest-only one) gets nowhere.</summary>
    public void RequireAnyRole(params string[] roles)
    {
        RequireScope(TokenScopes.Read);
        if (!roles.Any(Roles.Contains))
            throw new ForbiddenException($"This needs the role {string.Join(" or ", roles)}.");
    }

    public string RequireUserId()
    {
        RequireAuthenticated();
        return UserId ?? throw new ForbiddenException("Only a user can do this, not a job.");
    }
}
