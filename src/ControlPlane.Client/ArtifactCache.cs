using System.Security.Cryptography;
using System.Text.Json;

namespace ControlPlane.Client;

/// <summary>
/// A local directory of artifacts named by their SHA-256 ({sha256}.onnx). A download streams to a temp file while
/// hashing and is renamed into place only when the hash matches what the registry vouches for, so a corrupt or
/// tampered download never enters the cache. Beside them, one small JSON file per followed alias remembers the last
/// target, so a restart with the server down can serve what it served before.
/// </summary>
public sealed class ArtifactCache
{
    public ArtifactCache(string directory)
    {
        Directory = System.IO.Directory.CreateDirectory(directory).FullName;
    }

    public string Directory { get; }

    public string PathOf(string sha256) => Path.Combine(Directory, $"{sha256}.onnx");

    /// <summary>The verified local file for the target's artifact, downloaded if not cached (or if the cached copy no longer matches).</summary>
    public async Task<string> EnsureAsync(ControlPlaneClient client, string model, AliasTarget target, CancellationToken ct)
    {
        var path = PathOf(target.Sha256);
        if (File.Exists(path))
        {
            if (await HashOfFileAsync(path, ct) == target.Sha256)
                return path;
            File.Delete(path); // changed on disk since it was verified: fetch it again
        }
        var temp = Path.Combine(Directory, $"{target.Sha256}.{Guid.NewGuid():N}.tmp");
        try
        {
            using (var download = await client.OpenArtifactAsync(model, target.Version, ct))
            await using (var file = new FileStream(temp, FileMode.CreateNew, FileAccess.Write, FileShare.None, 81920, FileOptions.Asynchronous))
            {
                using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
                var buffer = new byte[81920];
                int read;
                while ((read = await download.Content.ReadAsync(buffer, ct)) > 0)
                {
                    hash.AppendData(buffer, 0, read);
                    await file.WriteAsync(buffer.AsMemory(0, read), ct);
                }
                var actual = Convert.ToHexStringLower(hash.GetHashAndReset());
                if (actual != target.Sha256 || !string.Equals(download.Sha256, target.Sha256, StringComparison.OrdinalIgnoreCase))
                    throw new ArtifactIntegrityException($"{model} v{target.Version}: the download hashes to {actual}, the registry says {target.Sha256} (ETag {download.Sha256}); not cached.");
                await file.FlushAsync(ct);
                file.Flush(flushToDisk: true);
            }
            File.Move(temp, path, overwrite: true);
            return path;
        }
        finally
        {
            File.Delete(temp);
        }
    }

    /// <summary>The last target this cache served for model@alias, if any.</summary>
    public async Task<AliasTarget?> LastTargetAsync(string model, string alias, CancellationToken ct)
    {
        var path = AliasFile(model, alias);
        if (!File.Exists(path))
            return null;
        await using var file = File.OpenRead(path);
        return await JsonSerializer.DeserializeAsync<AliasTarget>(file, ControlPlaneClient.Json, ct);
    }

    public async Task RememberAsync(string model, string alias, AliasTarget target, CancellationToken ct)
    {
        var path = AliasFile(model, alias);
        var temp = $"{path}.{Guid.NewGuid():N}.tmp";
        await File.WriteAllBytesAsync(temp, JsonSerializer.SerializeToUtf8Bytes(target with { ETag = null }, ControlPlaneClient.Json), ct);
        File.Move(temp, path, overwrite: true);
    }

    private string AliasFile(string model, string alias) =>
        Path.Combine(Directory, $"alias-{Uri.EscapeDataString(model.ToLowerInvariant())}@{Uri.EscapeDataString(alias)}.json");

    private static async Task<string> HashOfFileAsync(string path, CancellationToken ct)
    {
        await using var file = File.OpenRead(path);
        return Convert.ToHexStringLower(await SHA256.HashDataAsync(file, ct));
    }
}

/// <summary>An artifact whose bytes do not hash to what the registry says: never cached, never served.</summary>
public sealed class ArtifactIntegrityException(string message) : Exception(message);

/// <summary>The version cannot be served by <see cref="ModelHandle"/> (not ONNX, or inputs it cannot feed).</summary>
public sealed class UnservableModelException(string message, Exception? inner = null) : Exception(message, inner);
