using System.Security.Cryptography;

namespace ControlPlane.Domain.Artifacts;

/// <summary>Local files written whole or not at all: streamed to a temp file while hashed, flushed to disk, then renamed into place.</summary>
internal static class ContentFile
{
    private const int BufferSize = 1 << 16;

    /// <summary>A new temp file name in <c>{root}/.incoming</c>, on the same volume as the final place so publishing is a rename.</summary>
    public static string NewTempPath(string root)
    {
        var incoming = Path.Combine(root, ".incoming");
        Directory.CreateDirectory(incoming);
        return Path.Combine(incoming, $"{Guid.NewGuid():N}.part");
    }

    /// <summary>What both stores do with an upload: into a temp file under <paramref name="root"/>, hashed on the way; empty files are refused.</summary>
    public static async Task<StagedArtifact> StageAsync(string root, Stream content, long maxBytes, CancellationToken ct)
    {
        var path = NewTempPath(root);
        var (sha256, size) = await WriteAsync(content, path, maxBytes, ct);
        if (size > 0)
            return new StagedArtifact(path, sha256, size);
        File.Delete(path);
        throw new Common.ValidationException("The file is empty.");
    }

    /// <summary>Copies <paramref name="content"/> to <paramref name="path"/> and returns its SHA-256 and size; on any failure the file is deleted.</summary>
    public static async Task<(string Sha256, long Size)> WriteAsync(Stream content, string path, long maxBytes, CancellationToken ct)
    {
        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        long size = 0;
        try
        {
            await using (var file = new FileStream(path, FileMode.CreateNew, FileAccess.Write, FileShare.None, BufferSize, FileOptions.Asynchronous))
            {
                var buffer = new byte[BufferSize];
                int read;
                while ((read = await content.ReadAsync(buffer, ct)) > 0)
                {
                    size += read;
                    if (size > maxBytes)
                        throw new Common.PayloadTooLargeException($"The file is larger than the limit of {maxBytes:N0} bytes.");
                    hash.AppendData(buffer, 0, read);
                    await file.WriteAsync(buffer.AsMemory(0, read), ct);
                }
                await file.FlushAsync(ct);
                file.Flush(flushToDisk: true);
            }
            return (Convert.ToHexStringLower(hash.GetHashAndReset()), size);
        }
        catch
        {
            File.Delete(path);
            throw;
        }
    }

    public static async Task<string> HashAsync(string path, CancellationToken ct)
    {
        await using var file = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, BufferSize, FileOptions.Asynchronous | FileOptions.SequentialScan);
        return Convert.ToHexStringLower(await SHA256.HashDataAsync(file, ct));
    }

    /// <summary>
    /// Renames a finished temp file to its content address. When another writer got there first the content is the
    /// same (the name is its hash), so the temp file is dropped: publishing the same bytes twice, even at once, is fine.
    /// </summary>
    public static void MoveIntoPlace(string temp, string target)
    {
        Directory.CreateDirectory(Path.GetDirectoryName(target)!);
        try
        {
            File.Move(temp, target, overwrite: false);
        }
        catch (IOException) when (File.Exists(target))
        {
            File.Delete(temp);
        }
    }
}
