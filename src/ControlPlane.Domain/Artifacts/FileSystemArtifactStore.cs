using ControlPlane.Domain.Common;
using ControlPlane.Domain.Persistence;
using Microsoft.Extensions.Options;

namespace ControlPlane.Domain.Artifacts;

/// <summary>Artifacts under <c>{root}/sha256/ab/abcdef…</c>; temp files in <c>{root}/.incoming</c> on the same volume so publishing is a rename.</summary>
public sealed class FileSystemArtifactStore(IOptions<ArtifactOptions> options, DatabaseSettings database) : IArtifactStore
{
    private string Root => Path.GetFullPath(options.Value.Directory, database.DataDirectory);

    public Task<StagedArtifact> StageAsync(Stream content, long maxBytes, CancellationToken ct) => ContentFile.StageAsync(Root, content, maxBytes, ct);

    public Task PublishAsync(StagedArtifact staged, CancellationToken ct)
    {
        ContentFile.MoveIntoPlace(staged.Path, PathOf(staged.Sha256));
        staged.Published = true;
        return Task.CompletedTask;
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

    private string PathOf(string sha256) => ContentAddress.PathUnder(Root, sha256);
}
