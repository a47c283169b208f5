namespace ControlPlane.Domain.Audit;

/// <summary>
/// Writes a key file once and atomically (owner-only, temp file then a rename that never overwrites), so processes
/// starting together on an empty key directory all end up reading the one complete file that won.
/// </summary>
internal static class KeyFile
{
    public static void CreateOnce(string path, string content)
    {
        if (File.Exists(path))
            return;
        var temp = $"{path}.{Guid.NewGuid():N}.tmp";
        try
        {
            using (var stream = new FileStream(temp, FileMode.CreateNew, FileAccess.Write))
            {
                if (!OperatingSystem.IsWindows())
                    File.SetUnixFileMode(temp, UnixFileMode.UserRead | UnixFileMode.UserWrite);
                using var writer = new StreamWriter(stream);
                writer.Write(content);
                writer.Flush();
                stream.Flush(flushToDisk: true);
            }
            File.Move(temp, path, overwrite: false);
        }
        catch (IOException) when (File.Exists(path))
        {
            // Another process created it first: use theirs.
        }
        finally
        {
            File.Delete(temp);
        }
    }
}
