using System.Security.Cryptography;
using System.Text.RegularExpressions;

namespace ControlPlane.Domain.Audit;

/// <summary>
/// The chain keys, read from files outside the database. Whoever holds only the database can recompute the
/// public hash chain but not the MACs beside it, so a rewritten or forged event fails verification.
/// </summary>
public sealed partial class AuditKeyRing
{
    public const string Extension = ".key";
    private Dictionary<string, byte[]> _keys;

    public AuditKeyRing(string directory, string? activeKeyId, TimeProvider time)
    {
        Directory = directory;
        System.IO.Directory.CreateDirectory(directory);
        _keys = Load(directory);
        if (_keys.Count == 0)
        {
            var id = "k" + time.GetUtcNow().UtcDateTime.ToString("yyyyMMddHHmmss", System.Globalization.CultureInfo.InvariantCulture);
            Create(directory, id);
            _keys = Load(directory);
        }
        ActiveKeyId = string.IsNullOrWhiteSpace(activeKeyId) ? _keys.Keys.Max(StringComparer.Ordinal)! : activeKeyId.Trim();
        if (!_keys.ContainsKey(ActiveKeyId))
            throw new InvalidOperationException($"ControlPlane:Audit:ActiveKeyId '{ActiveKeyId}' has no key file {ActiveKeyId}{Extension} in {directory}.");
    }

    public string Directory { get; }
    public string ActiveKeyId { get; }
    public IReadOnlyCollection<string> KeyIds => _keys.Keys;

    public string Mac(string hash) => AuditChain.ComputeMac(_keys[ActiveKeyId], hash);

    /// <summary>Null when the MAC is right, else why not.</summary>
    public string? Check(string keyId, string hash, string? mac)
    {
        // A key another process added since this one started (a rotation) is read on first sight.
        if (!_keys.TryGetValue(keyId, out var key) && !(_keys = Load(Directory)).TryGetValue(keyId, out key))
            return $"it is keyed with '{keyId}', a key this installation does not hold";
        return mac is not null && CryptographicOperations.FixedTimeEquals(
            System.Text.Encoding.ASCII.GetBytes(AuditChain.ComputeMac(key, hash)), System.Text.Encoding.ASCII.GetBytes(mac))
            ? null
            : "its MAC does not match: it was written or rewritten without the chain key";
    }

    /// <summary>Writes a new random key file (never overwriting one) and returns its id.</summary>
    public static string Create(string directory, string id)
    {
        if (!KeyIdPattern().IsMatch(id))
            throw new ArgumentException($"A key id is 1-64 letters, digits, '.', '_' or '-': '{id}'.", nameof(id));
        System.IO.Directory.CreateDirectory(directory);
        KeyFile.CreateOnce(Path.Combine(directory, id + Extension), Convert.ToBase64String(RandomNumberGenerator.GetBytes(32)));
        return id;
    }

    private static Dictionary<string, byte[]> Load(string directory)
    {
        var keys = new Dictionary<string, byte[]>(StringComparer.Ordinal);
        foreach (var file in System.IO.Directory.EnumerateFiles(directory, "*" + Extension))
        {
            var id = Path.GetFileNameWithoutExtension(file);
            byte[] key;
            try
            {
                key = Convert.FromBase64String(File.ReadAllText(file).Trim());
            }
            catch (FormatException)
            {
                throw new InvalidOperationException($"Audit chain key {file} is not base64.");
            }
            if (!KeyIdPattern().IsMatch(id) || key.Length < 32)
                throw new InvalidOperationException($"Audit chain key {file} needs an id of letters, digits, '.', '_', '-' and at least 32 bytes.");
            keys[id] = key;
        }
        return keys;
    }

    [GeneratedRegex("^[A-Za-z0-9._-]{1,64}$")]
    private static partial Regex KeyIdPattern();
}
