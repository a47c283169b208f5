using ControlPlane.Domain.Identity.Oidc;

namespace ControlPlane.Web.Auth;

/// <summary>
/// Single sign-on through an OpenID Connect provider (<c>ControlPlane:Oidc</c>). Left without an authority, only local
/// accounts exist. Checked when the app starts: a half or invalid configuration stops it with the setting's name.
/// </summary>
public sealed class OidcOptions
{
    public const string Section = OidcSettings.Section;

    /// <summary>The provider's issuer URL; its discovery document is at <c>/.well-known/openid-configuration</c>.</summary>
    public string? Authority { get; set; }
    public string? ClientId { get; set; }
    public string? ClientSecret { get; set; }
    /// <summary>Left out: openid, profile and email.</summary>
    public string[]? Scopes { get; set; }
    public IReadOnlyList<string> ScopeList => Scopes is { Length: > 0 } ? Scopes : ["openid", "profile", "email"];
    /// <summary>The claim (in the ID token or user info) that lists the user's groups.</summary>
    public string GroupsClaim { get; set; } = "groups";
    /// <summary>Shown on the sign-in button: "Sign in with …".</summary>
    public string DisplayName { get; set; } = "single sign-on";
    public bool LocalSignIn { get; set; } = true;
    public TimeSpan SignatureMaxAge { get; set; } = TimeSpan.FromMinutes(5);
    /// <summary>Off only for a provider on plain HTTP (a test provider on loopback).</summary>
    public bool RequireHttpsMetadata { get; set; } = true;

    public bool IsConfigured => !string.IsNullOrWhiteSpace(Authority);

    /// <summary>What is wrong with these settings, each naming its key; empty when they can be used.</summary>
    public IReadOnlyList<string> Problems()
    {
        var problems = new List<string>();
        var key = (string name) => $"{Section}:{name}";
        var given = new[] { (nameof(Authority), Authority), (nameof(ClientId), ClientId), (nameof(ClientSecret), ClientSecret) };
        if (given.Any(g => !string.IsNullOrWhiteSpace(g.Item2)))
            problems.AddRange(given.Where(g => string.IsNullOrWhiteSpace(g.Item2))
                .Select(g => $"{key(g.Item1)} is missing: single sign-on needs {key(nameof(Authority))}, {key(nameof(ClientId))} and {key(nameof(ClientSecret))}."));
        if (IsConfigured)
        {
            if (!Uri.TryCreate(Authority, UriKind.Absolute, out var authority) || (authority.Scheme != Uri.UriSchemeHttps && authority.Scheme != Uri.UriSchemeHttp))
                problems.Add($"{key(nameof(Authority))} must be an absolute https URL (it is '{Authority}').");
            else if (authority.Scheme == Uri.UriSchemeHttp && RequireHttpsMetadata)
                problems.Add($"{key(nameof(Authority))} must use https (set {key(nameof(RequireHttpsMetadata))}=false only for a test provider).");
            if (!ScopeList.Contains("openid", StringComparer.Ordinal))
                problems.Add($"{key(nameof(Scopes))} must include 'openid'.");
            if (string.IsNullOrWhiteSpace(GroupsClaim))
                problems.Add($"{key(nameof(GroupsClaim))} must name the claim that carries the groups.");
            if (string.IsNullOrWhiteSpace(DisplayName))
                problems.Add($"{key(nameof(DisplayName))} must not be empty.");
        }
        else if (!LocalSignIn)
            problems.Add($"{key(nameof(LocalSignIn))}=false needs single sign-on ({key(nameof(Authority))}, {key(nameof(ClientId))}, {key(nameof(ClientSecret))}): nobody could sign in.");
        if (SignatureMaxAge < TimeSpan.FromSeconds(30) || SignatureMaxAge > TimeSpan.FromHours(1))
            problems.Add($"{key(nameof(SignatureMaxAge))} must be between 00:00:30 and 01:00:00.");
        return problems;
    }

    /// <summary>The settings as configured, or a start-up failure naming every wrong key.</summary>
    public static OidcOptions Read(IConfiguration configuration)
    {
        var options = configuration.GetSection(Section).Get<OidcOptions>() ?? new OidcOptions();
        var problems = options.Problems();
        if (problems.Count > 0)
            throw new InvalidOperationException("Single sign-on is not configured correctly: " + string.Join(" ", problems));
        return options;
    }
}
