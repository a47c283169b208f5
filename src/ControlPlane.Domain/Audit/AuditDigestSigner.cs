using System.Security.Cryptography;
using System.Text;

namespace ControlPlane.Domain.Audit;

/// <summary>
/// Signs digests with an ECDSA P-256 key kept beside the chain keys. The public key is published (API and
/// <c>audit public-key</c>) so an auditor can check digests without trusting the server or its database.
/// </summary>
public sealed class AuditDigestSigner : IDisposable
{
    public const string FileName = "digest-signing.pem";
    private readonly ECDsa _key;

    public AuditDigestSigner(string keyDirectory)
    {
        Directory.CreateDirectory(keyDirectory);
        var path = Path.Combine(keyDirectory, FileName);
        if (!File.Exists(path))
            CreateKey(path);
        _key = ECDsa.Create();
        _key.ImportFromPem(File.ReadAllText(path));
        if (_key.KeySize != 256)
            throw new InvalidOperationException($"{path} must hold an ECDSA P-256 key.");
        PublicKeyPem = _key.ExportSubjectPublicKeyInfoPem();
    }

    public string PublicKeyPem { get; }

    /// <summary>DER-encoded ECDSA signature over SHA-256 of the payload, base64.</summary>
    public string Sign(string payload) =>
        Convert.ToBase64String(_key.SignData(Encoding.UTF8.GetBytes(payload), HashAlgorithmName.SHA256, DSASignatureFormat.Rfc3279DerSequence));

    public bool Verify(string payload, string signature)
    {
        var bytes = new byte[signature.Length];
        return Convert.TryFromBase64String(signature, bytes, out var length)
            && _key.VerifyData(Encoding.UTF8.GetBytes(payload), bytes.AsSpan(0, length), HashAlgorithmName.SHA256, DSASignatureFormat.Rfc3279DerSequence);
    }

    public void Dispose() => _key.Dispose();

    private static void CreateKey(string path)
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        KeyFile.CreateOnce(path, key.ExportPkcs8PrivateKeyPem());
    }
}
