using System.Runtime.CompilerServices;
using ControlPlane.Domain.Artifacts;
using ControlPlane.Domain.Persistence;
using Microsoft.Extensions.Options;

namespace ControlPlane.Domain.Production;

/// <summary>Telemetry under <c>{artifact directory}/telemetry/…</c>: a temp file beside the target, flushed, then renamed.</summary>
public sealed class FileSystemTelemetryStore(IOptions<ArtifactOptions> options, DatabaseSettings database) : ITelemetryStore
{
    private const string TempSuffix = ".part";

    private string Root => Path.GetFullPath(options.Value.Directory, database.DataDirectory);

    public string Location => Root;

    public async Task PutAsync(string path, string localFile, CancellationToken ct)
    {
        await using var source = new FileStream(localFile, FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 16, useAsync: true);
        await PutAsync(path, source, ct);
    }

    public async Task PutAsync(string path, Stream content, CancellationToken ct)
    {
        var target = FullPath(TelemetryPaths.RequireFile(path));
        var directory = Path.GetDirectoryName(target)!;
        Directory.CreateDirectory(directory);
        // Hidden and without the .parquet ending, so listings and outside readers never take a half-written file.
        var temp = Path.Combine(directory, $".{Guid.NewGuid():N}{TempSuffix}");
        try
        {
            await using (var copy = new FileStream(temp, FileMode.CreateNew, FileAccess.Write, FileShare.None, 1 << 16, useAsync: true))
            {
                await content.CopyToAsync(copy, ct);
                copy.Flush(flushToDisk: true);
            }
            File.Move(temp, target, overwrite: false);
        }
        finally
        {
            if (File.Exists(temp))
                File.Delete(temp);
        }
    }

    public Task<string> GetLocalPathAsync(string path, CancellationToken ct)
    {
        var full = FullPath(TelemetryPaths.RequireFile(path));
        return File.Exists(full)
            ? Task.FromResult(full)
            : throw new Common.NotFoundException($"The telemetry file {path} is missing from the store.");
    }

    public Task DeleteAsync(string path, CancellationToken ct)
    {
        var full = FullPath(TelemetryPaths.RequireFile(path));
        if (File.Exists(full))
            File.Delete(full);
        return Task.CompletedTask;
    }

    public IAsyncEnumerable<string> ListAsync(string prefix, CancellationToken ct) =>
        Files(prefix, "*.parquet", ct).Select(f => f.Path);

    public IAsyncEnumerable<TelemetryFile> ListFilesAsync(string prefix, CancellationToken ct) => Files(prefix, "*", ct);

    private async IAsyncEnumerable<TelemetryFile> Files(string prefix, string pattern, [EnumeratorCancellation] CancellationToken ct)
    {
        var directory = new DirectoryInfo(FullPath(TelemetryPaths.RequireFolder(prefix)));
        if (!directory.Exists)
            yield break;
        foreach (var file in directory.EnumerateFiles(pattern, SearchOption.AllDirectories))
        {
            ct.ThrowIfCancellationRequested();
            yield return new TelemetryFile(Path.GetRelativePath(Root, file.FullName).Replace(Path.DirectorySeparatorChar, '/'), file.LastWriteTimeUtc);
        }
        await Task.CompletedTask;
    }

    private string FullPath(string path)
    {
        var full = Path.GetFullPath(Path.Combine(Root, path));
        var telemetry = Path.Combine(Root, TelemetryPaths.Root);
        return full == telemetry || full.StartsWith(telemetry + Path.DirectorySeparatorChar, StringComparison.Ordinal)
            ? full
            : throw new ArgumentException($"'{path}' is not a telemetry path.", nameof(path));
    }
}
