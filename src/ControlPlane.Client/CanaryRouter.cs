using System.Buffers.Binary;
using System.Security.Cryptography;
using System.Text;

namespace ControlPlane.Client;

/// <summary>
/// Sticky canary routing: a request key (a customer id, say) goes to the challenger when the first 8 bytes of
/// SHA-256(UTF-8 key), read as a big-endian unsigned number, fall below fraction × 2⁶⁴. The same key routes the
/// same way in every process and on every machine (unlike string.GetHashCode), so one customer sees one version.
/// </summary>
public static class CanaryRouter
{
    public static bool ToChallenger(string key, double fraction)
    {
        if (fraction <= 0)
            return false;
        if (fraction >= 1)
            return true;
        return Position(key) < fraction;
    }

    /// <summary>The key's place in [0, 1).</summary>
    public static double Position(string key)
    {
        var length = Encoding.UTF8.GetByteCount(key);
        Span<byte> bytes = length <= 256 ? stackalloc byte[length] : new byte[length];
        Encoding.UTF8.GetBytes(key, bytes);
        Span<byte> hash = stackalloc byte[32];
        SHA256.HashData(bytes, hash);
        return BinaryPrimitives.ReadUInt64BigEndian(hash) / 18446744073709551616.0; // 2^64
    }
}
