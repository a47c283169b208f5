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

    [Fact]
    public async Task The_readiness_probe_passes_on_a_writable_directory_and_names_one_that_cannot_be_made()
    {
        await Store().CheckAsync(default);
        Assert.Empty(Directory.EnumerateFileSystemEntries(Root, ".probe-*")); // the probe cleans up after itself

        // A file where the directory should be: what a wrong mount or a full disk looks like to the process.
        var blocked = Path.Combine(Local.Path, "blocked");
        await File.WriteAllTextAsync(blocked, "not a directory");
        var store = new FileSystemArtifactStore(Options.Create(new ArtifactOptions { Directory = "blocked/store" }), new DatabaseSettings(DatabaseProvider.Sqlite, "", Local.Path));
        var error = await Assert.ThrowsAsync<ArtifactStoreUnavailableException>(() => store.CheckAsync(default));
        Assert.StartsWith($"The artifact store cannot be used: the directory {Path.Combine(blocked, "store")} cannot be written", error.Message);
    }

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
