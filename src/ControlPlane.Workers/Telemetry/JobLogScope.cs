using System.Collections;
using Hangfire.Common;

namespace ControlPlane.Workers.Telemetry;

/// <summary>
/// The logging scope of one job run: its Hangfire id, its type, every id argument under its parameter's name
/// (<c>RunId</c>, <c>EvaluationId</c>, <c>VersionId</c>…) and who started it. Console and JSON formatters and the
/// OTLP log exporter show these on every line written while the job runs.
/// </summary>
public sealed class JobLogScope : IReadOnlyList<KeyValuePair<string, object?>>
{
    private readonly List<KeyValuePair<string, object?>> _values;

    public JobLogScope(string jobId, Job? job, string? startedBy)
    {
        _values = [new("JobId", jobId), new("JobType", TypeOf(job))];
        foreach (var (name, id) in IdArguments(job))
            _values.Add(new(name, id));
        if (startedBy is not null)
            _values.Add(new("StartedBy", startedBy));
    }

    public static string TypeOf(Job? job) => job?.Type.Name ?? "unknown";

    /// <summary>Job arguments are ids (docs/architecture.md); the Guid ones name the run, version or record a job works on.</summary>
    public static IEnumerable<(string Name, Guid Id)> IdArguments(Job? job)
    {
        if (job is null)
            yield break;
        var parameters = job.Method.GetParameters();
        for (var i = 0; i < parameters.Length && i < job.Args.Count; i++)
            if (job.Args[i] is Guid id && parameters[i].Name is { Length: > 0 } name)
                yield return (char.ToUpperInvariant(name[0]) + name[1..], id);
    }

    public int Count => _values.Count;

    public KeyValuePair<string, object?> this[int index] => _values[index];

    public IEnumerator<KeyValuePair<string, object?>> GetEnumerator() => _values.GetEnumerator();

    IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();

    public override string ToString() => string.Join(" ", _values.Select(v => $"{v.Key}:{v.Value}"));
}
