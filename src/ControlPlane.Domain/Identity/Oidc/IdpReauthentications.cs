using System.Text.Json;
using Microsoft.AspNetCore.DataProtection;

namespace ControlPlane.Domain.Identity.Oidc;

/// <summary>
/// Seals an <see cref="IdpReauthentication"/> into an opaque string the browser carries from the provider's callback
/// to the signing page (data protection: the keys are in the database, so any instance can open it; nobody can forge
/// or edit one). Each <c>auth_time</c> signs once: the signature checks that none of the signer's decisions used it.
/// </summary>
public sealed class IdpReauthentications(IDataProtectionProvider protection)
{
    private readonly IDataProtector _protector = protection.CreateProtector("ControlPlane.Oidc.Reauthentication.v1");

    public string Seal(IdpReauthentication proof) => _protector.Protect(JsonSerializer.Serialize(proof));

    /// <summary>The sealed proof, or null when it was not made here or was changed.</summary>
    public IdpReauthentication? Open(string? sealedProof)
    {
        if (string.IsNullOrEmpty(sealedProof))
            return null;
        try
        {
            return JsonSerializer.Deserialize<IdpReauthentication>(_protector.Unprotect(sealedProof));
        }
        catch (Exception e) when (e is System.Security.Cryptography.CryptographicException or JsonException or FormatException)
        {
            return null;
        }
    }
}
