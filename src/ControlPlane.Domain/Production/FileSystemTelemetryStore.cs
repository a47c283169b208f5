using System.Runtime.CompilerServices;
using ControlPlane.Domain.Artifacts;
using ControlPlane.Domain.Persistence;
using Microsoft.Extensions.Options;

namespace ControlPlane.Domain.Production;

/// <summary>Telemetry under <c>{artifact directory}/telemetry/…</c>: a temp file beside the target, flushed, then renamed.</summary>
public sealed class FileSystemTelemetryStore(IOptions<ArtifactOptions> options, DatabaseSettings database) : ITelemetryStore
{
    private string Root => Path.GetFullPath(options.Value.Directory, database.DataDirectory);

    public string Location => Root;

    public Task PutAsync(string path, string localFile, CancellationToken ct)
    {
        var target = FullPath(path);
        var directory = Path.GetDirectoryName(target)!;
        Directory.CreateDirectory(directory);
        var temp = Path.Combine(directory, $".{Guid.NewGuid():N}.part");
        try
        {
            File.Copy(localFile, temp);
            using (var file = new FileStream(temp, FileMode.Open, FileAccess.ReadWrite))
                file.Flush(flushToDisk: true);
            File.Move(temp, target, overwrite: false);
        }
        finally
        {
            if (File.Exists(temp))
                File.Delete(temp);
        }
        return Task.CompletedTask;
    }

    public Task<string> GetLocalPathAsync(string path, CancellationToken ct)
    {
        var full = FullPath(path);
        return File.Exists(full)
            ? Task.FromResult(full)
            : throw new Common.NotFoundException($"The telemetry file {path} is missing from the store.");
    }

    public Task DeleteAsync(string path, CancellationToken ct)
    {
        File.Delete(FullPath(path));
        return Task.CompletedTask;
    }

    public async IAsyncEnumerable<string> ListAsync(string prefix, [EnumeratorCancellation] CancellationToken ct)
    {
        var directory = FullPath(prefix);
        if (!Directory.Exists(directory))
            yield break;
        foreach (var file in Directory.EnumerateFiles(directory, "*.parquet", SearchOption.AllDirectories))
        {
            ct.ThrowIfCancellationRequested();
            yield return Path.GetRelativePath(Root, file).Replace(Path.DirectorySeparatorChar, '/');
        }
        await Task.CompletedTask;
    }

    private string FullPath(string path)
    {
        var full = Path.GetFullPath(Path.Combine(Root, path));
        return full.StartsWith(Path.Combine(Root, TelemetryPaths.Root), StringComparison.Ordinal)
            ? full
            : throw new ArgumentException($"'{path}' is not a telemetry path.", nameof(path));
    }
}
