using ControlPlane.Domain.Datasets.Reading;

namespace ControlPlane.Workers.Cli;

/// <summary>Turns a missing or unreadable input file into a one-line reason that names the file and its role.</summary>
internal static class InputFile
{
    public static string Existing(string role, string path) =>
        File.Exists(path) ? path : throw new CliInputException($"{role} '{path}' does not exist");

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
