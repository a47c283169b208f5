using ControlPlane.Domain.Datasets.Reading;

namespace ControlPlane.Workers.Cli;

/// <summary>Turns a missing or unreadable input file into a one-line reason that names the file and its role.</summary>
internal static class InputFile
{
    public static string Existing(string role, string path)
    {
        if (File.Exists(path))
            return path;
        // `dotnet run --project` runs the worker in its project folder, not where the command was typed.
        var where = Path.IsPathRooted(path) ? "" : $" (relative paths resolve against {Directory.GetCurrentDirectory()})";
        throw new CliInputException($"{role} '{path}' does not exist{where}");
    }

    public static async Task<T> ReadAsync<T>(string role, string path, Func<Task<T>> read)
    {
        try
        {
            return await read();
        }
        catch (DataFormatException e)
        {
            throw new CliInputException($"{role} '{path}' cannot be read: {e.Message}");
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new CliInputException($"{role} '{path}' cannot be read: {e.Message}");
        }
    }
}
