namespace ControlPlane.Domain.Identity.Oidc;

/// <summary>
/// The parts of <c>ControlPlane:Oidc</c> the domain enforces; the web layer binds and validates the whole section
/// (authority, client, scopes) in its own options.
/// </summary>
public sealed class OidcSettings
{
    public const string Section = "ControlPlane:Oidc";

    /// <summary>Whether user names and passwords are accepted (sign-in form, token issuance with a password).</summary>
    public bool LocalSignIn { get; set; } = true;

    /// <summary>How old an identity provider re-authentication may be when it signs.</summary>
    public TimeSpan SignatureMaxAge { get; set; } = TimeSpan.FromMinutes(5);
}
