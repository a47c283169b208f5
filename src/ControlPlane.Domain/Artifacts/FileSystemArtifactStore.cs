using System.Security.Cryptography;
using ControlPlane.Domain.Common;
using ControlPlane.Domain.Persistence;
using Microsoft.Extensions.Options;

namespace ControlPlane.Domain.Artifacts;

/// <summary>Artifacts under <c>{root}/sha256/ab/abcdef…</c>; temp files in <c>{root}/.incoming</c> on the same volume so publishing is a rename.</summary>
public sealed class FileSystemArtifactStore(IOptions<ArtifactOptions> options, DatabaseSettings database) : IArtifactStore
{
    private string Root => Path.GetFullPath(options.Value.Directory, database.DataDirectory);

    public async Task<StagedArtifact> StageAsync(Stream content, long maxBytes, CancellationToken ct)
    {
        var incoming = Path.Combine(Root, ".incoming");
        Directory.CreateDirectory(incoming);
        var path = Path.Combine(incoming, $"{Guid.NewGuid():N}.part");
        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        long size = 0;
        try
        {
            await using (var file = new FileStream(path, FileMode.CreateNew, FileAccess.Write, FileShare.None, 1 << 16, FileOptions.Asynchronous))
            {
                var buffer = new byte[1 << 16];
                int read;
                while ((read = await content.ReadAsync(buffer, ct)) > 0)
                {
                    size += read;
                    if (size > maxBytes)
                        throw new PayloadTooLargeException($"The file is larger than the limit of {maxBytes:N0} bytes.");
                    hash.AppendData(buffer, 0, read);
                    await file.WriteAsync(buffer.AsMemory(0, read), ct);
                }
                await file.FlushAsync(ct);
                file.Flush(flushToDisk: true);
            }
            if (size == 0)
                throw new ValidationException("The file is empty.");
            return new StagedArtifact(path, Convert.ToHexStringLower(hash.GetHashAndReset()), size);
        }
        catch
        {
            File.Delete(path);
            throw;
        }
    }

    public Task PublishAsync(StagedArtifact staged, CancellationToken ct)
    {
        var target = PathOf(staged.Sha256);
        Directory.CreateDirectory(Path.GetDirectoryName(target)!);
        if (File.Exists(target))
            File.Delete(staged.Path); // same content already stored
        else
            File.Move(staged.Path, target);
        staged.Published = true;
        return Task.CompletedTask;
    }

    public Stream OpenRead(string sha256)
    {
        var path = PathOf(sha256);
        if (!File.Exists(path))
            throw new NotFoundException($"The artifact {sha256} is missing from the artifact store.");
        return new HashVerifyingStream(new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 16, FileOptions.Asynchronous | FileOptions.SequentialScan), sha256);
    }

    public async Task<string> GetLocalPathAsync(string sha256, bool verify, CancellationToken ct)
    {
        var path = PathOf(sha256);
        if (!File.Exists(path))
            throw new NotFoundException($"The file {sha256} is missing from the artifact store.");
        if (verify)
        {
            await using var stream = OpenRead(sha256);
            await stream.CopyToAsync(Stream.Null, 1 << 20, ct);
        }
        return path;
    }

    private string PathOf(string sha256)
    {
        if (sha256.Length != 64 || !sha256.All(Uri.IsHexDigit))
            throw new ArgumentException("Not a SHA-256 hex digest.", nameof(sha256));
        return Path.Combine(Root, "sha256", sha256[..2], sha256);
    }
}
