namespace ControlPlane.Domain.Identity.Oidc;

/// <summary>Who the identity provider says signed in: linked to a ControlPlane user by issuer and subject, never by e-mail.</summary>
public sealed record ExternalIdentity(string Issuer, string Subject, string? PreferredUserName, string? Email, IReadOnlyList<string> Groups);
