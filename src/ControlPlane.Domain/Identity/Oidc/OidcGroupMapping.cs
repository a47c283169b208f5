namespace ControlPlane.Domain.Identity.Oidc;

/// <summary>Members of <see cref="Group"/> at the identity provider hold <see cref="Role"/> here. Admins edit the set.</summary>
public sealed class OidcGroupMapping
{
    public Guid Id { get; set; }
    public required string Group { get; set; }
    public required string Role { get; set; }
}
