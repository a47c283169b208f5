using System.Text.Json;
using System.Text.Json.Serialization;
using ControlPlane.Domain.Common;

namespace ControlPlane.Workers.Isolation;

/// <summary>
/// The shape of a child process's command (<c>fit</c>, <c>score</c>): <c>VERB REQUEST.json OUTPUT</c>, progress as
/// lines on standard output, and bad input (a <see cref="DomainException"/>) as exit 3 with its message on standard
/// error, which <see cref="ChildOutcome.Check"/> turns back into the caller's exception.
/// </summary>
public static class ChildCommand
{
    public const int BadInputExit = 3;

    /// <summary>Lines of standard output that report progress start with this; others are ignored.</summary>
    public const string ProgressPrefix = "progress\t";

    /// <summary>The requests and results children read and write.</summary>
    public static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web) { Converters = { new JsonStringEnumConverter() } };

    public static async Task<int> RunAsync<TRequest>(string[] args, string usage, TextWriter error,
        Func<TRequest, string, Task> run, CancellationToken ct)
    {
        if (args is not [_, var requestPath, var outputPath])
        {
            await error.WriteLineAsync(usage);
            return 2;
        }
        var request = JsonSerializer.Deserialize<TRequest>(await File.ReadAllTextAsync(requestPath, ct), Json)
            ?? throw new InvalidDataException($"{requestPath} holds no request.");
        try
        {
            await run(request, outputPath);
            return 0;
        }
        catch (DomainException e)
        {
            await error.WriteLineAsync(e.Message);
            return BadInputExit;
        }
    }

    /// <summary>Progress written as reported, in order, one flushed line each (Progress&lt;T&gt; would post each to the thread pool).</summary>
    public sealed class LineProgress<T>(TextWriter output, Func<T, string> line) : IProgress<T>
    {
        public void Report(T value)
        {
            lock (output)
            {
                output.WriteLine(line(value));
                output.Flush();
            }
        }
    }
}
