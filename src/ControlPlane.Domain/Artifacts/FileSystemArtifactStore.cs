using System.Globalization;
using ControlPlane.Domain.Common;
using ControlPlane.Domain.Persistence;
using Microsoft.Extensions.Options;

namespace ControlPlane.Domain.Artifacts;

/// <summary>Artifacts under <c>{root}/sha256/ab/abcdef…</c>; temp files in <c>{root}/.incoming</c> on the same volume so publishing is a rename.</summary>
public sealed class FileSystemArtifactStore(IOptions<ArtifactOptions> options, DatabaseSettings database) : IArtifactStore
{
    private string Root => Path.GetFullPath(options.Value.Directory, database.DataDirectory);

    public Task<StagedArtifact> StageAsync(Stream content, long maxBytes, CancellationToken ct) => ContentFile.StageAsync(Root, content, maxBytes, ct);

    /// <summary>The root can be created and written: a probe file is made and deleted there.</summary>
    public Task CheckAsync(CancellationToken ct)
    {
        try
        {
            Directory.CreateDirectory(Root);
            using (new FileStream(Path.Combine(Root, $".probe-{Guid.NewGuid():N}"), FileMode.CreateNew, FileAccess.Write, FileShare.None, 1, FileOptions.DeleteOnClose))
            {
            }
            return Task.CompletedTask;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new ArtifactStoreUnavailableException($"The artifact store cannot be used: the directory {Root} cannot be written ({e.Message}).", e);
        }
    }

    public Task<PublishedArtifact> PublishAsync(StagedArtifact staged, CancellationToken ct)
    {
        var target = PathOf(staged.Sha256);
        Directory.CreateDirectory(Path.GetDirectoryName(target)!);
        while (true)
        {
            try
            {
                File.Move(staged.Path, target, overwrite: false);
                staged.Published = true;
                return Task.FromResult(new PublishedArtifact(Describe(new FileInfo(target)), Created: true));
            }
            catch (IOException) when (File.Exists(target))
            {
                // The same content is already stored (its name is its hash). Its last-write time is its age for the
                // sweep, in the file system's clock as a blob's Last-Modified is in the service's.
                try
                {
                    File.SetLastWriteTimeUtc(target, DateTime.UtcNow);
                }
                catch (FileNotFoundException)
                {
                    continue; // removed by a sweep between the two calls: store it after all
                }
                File.Delete(staged.Path);
                staged.Published = true;
                return Task.FromResult(new PublishedArtifact(Describe(new FileInfo(target)), Created: false));
            }
        }
    }

    public Task<Stream> OpenReadAsync(string sha256, CancellationToken ct)
    {
        var path = PathOf(sha256);
        if (!File.Exists(path))
            throw new NotFoundException($"The artifact {sha256} is missing from the artifact store.");
        return Task.FromResult<Stream>(new HashVerifyingStream(
            new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 16, FileOptions.Asynchronous | FileOptions.SequentialScan), sha256));
    }

    public async Task<string> GetLocalPathAsync(string sha256, bool verify, CancellationToken ct)
    {
        var path = PathOf(sha256);
        if (!File.Exists(path))
            throw new NotFoundException($"The artifact {sha256} is missing from the artifact store.");
        if (verify && await ContentFile.HashAsync(path, ct) is var actual && actual != sha256)
            throw HashVerifyingStream.Mismatch(sha256, actual);
        return path;
    }

    public IAsyncEnumerable<StoredArtifact> ListAsync(CancellationToken ct)
    {
        var stored = new DirectoryInfo(Path.Combine(Root, ContentAddress.Prefix));
        var files = stored.Exists ? stored.EnumerateFiles("*", SearchOption.AllDirectories) : [];
        return files
            .Where(f => ContentAddress.HashOf(Path.GetRelativePath(Root, f.FullName).Replace(Path.DirectorySeparatorChar, '/')) is not null)
            .Select(Describe)
            .ToAsyncEnumerable();
    }

    public Task<bool> RemoveIfUnchangedAsync(StoredArtifact seen, CancellationToken ct)
    {
        var path = PathOf(seen.Sha256);
        // Moved aside first, so a publisher that renews it from now on finds it gone and stores it again; one that
        // renewed it before the move shows in its last-write time, and it goes back.
        var aside = ContentFile.NewTempPath(Root) + ".removing";
        try
        {
            File.Move(path, aside, overwrite: false);
        }
        catch (IOException)
        {
            return Task.FromResult(false); // gone already, or held open where that prevents a rename
        }
        if (Describe(new FileInfo(aside)).Version == seen.Version)
        {
            File.Delete(aside);
            return Task.FromResult(true);
        }
        ContentFile.MoveIntoPlace(aside, path);
        return Task.FromResult(false);
    }

    private static StoredArtifact Describe(FileInfo file) =>
        new(file.Name, file.Length, file.LastWriteTimeUtc, file.LastWriteTimeUtc.Ticks.ToString(CultureInfo.InvariantCulture));

    private string PathOf(string sha256) => ContentAddress.PathUnder(Root, sha256);
}
