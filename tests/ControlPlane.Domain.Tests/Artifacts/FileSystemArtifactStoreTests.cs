using ControlPlane.Domain.Artifacts;
using ControlPlane.Domain.Persistence;
using ControlPlane.TestSupport;
using Microsoft.Extensions.Options;

namespace ControlPlane.Domain.Tests.Artifacts;

/// <summary>The shared store behaviour on a directory; every node is a process on the same (shared) directory.</summary>
public sealed class FileSystemArtifactStoreTests : ArtifactStoreSuite
{
    private string Root => Path.Combine(Local.Path, "store");

    protected override IArtifactStore Store(int node = 0) =>
        new FileSystemArtifactStore(Options.Create(new ArtifactOptions { Directory = "store" }), new DatabaseSettings(DatabaseProvider.Sqlite, "", Local.Path));

    protected override Task TamperAsync(string sha256, byte[] content) => File.WriteAllBytesAsync(ContentAddress.PathUnder(Root, sha256), content);

    protected override Task<IReadOnlyList<string>> StoredAsync()
    {
        var stored = Path.Combine(Root, "sha256");
        IReadOnlyList<string> names = Directory.Exists(stored)
            ? [.. Directory.EnumerateFiles(stored, "*", SearchOption.AllDirectories).Select(f => Path.GetRelativePath(Root, f).Replace(Path.DirectorySeparatorChar, '/'))]
            : [];
        return Task.FromResult(names);
    }
}
