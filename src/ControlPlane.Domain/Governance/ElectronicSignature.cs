using System.Globalization;
using System.Security.Cryptography;
using System.Text;

namespace ControlPlane.Domain.Governance;

/// <summary>
/// The hash that binds a signature to its signer, meaning, reason, time and the evidence it was given on. Anyone can
/// recompute it from the decision row to check that nothing in it was moved or edited.
/// </summary>
public static class ElectronicSignature
{
    public static string Hash(Guid requestId, string evidenceHash, string signerId, string signerName, DecisionKind decision,
        SignatureMeaning meaning, string reason, DateTime signedAtUtc, string overridesJson, string? idpIssuer = null, DateTime? idpAuthTimeUtc = null)
    {
        var text = string.Join('\n', requestId.ToString("D"), evidenceHash, signerId, signerName, decision.ToString(), meaning.ToString(), reason,
            signedAtUtc.ToString("yyyy-MM-dd'T'HH:mm:ss.ffffff'Z'", CultureInfo.InvariantCulture), overridesJson);
        // A signature made through the identity provider binds its issuer and auth_time too; password signatures hash as before.
        if (idpIssuer is not null && idpAuthTimeUtc is { } authTime)
            text += "\n" + idpIssuer + "\n" + authTime.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture);
        return Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(text)));
    }
}
