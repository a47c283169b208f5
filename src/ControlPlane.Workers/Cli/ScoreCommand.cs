using System.Text.Json;
using ControlPlane.Workers.Evaluation;
using ControlPlane.Workers.Isolation;

namespace ControlPlane.Workers.Cli;

/// <summary>
/// <c>score REQUEST.json OUTCOME.json</c>: runs one evaluation's scoring (<see cref="EvaluationComputation"/>) and
/// writes its outcome (<see cref="ScoreProtocol"/>). The evaluation jobs run it as a child process: a model that
/// needs more memory than the limit is killed there, not in the server. Needs no configuration or database.
/// </summary>
public static class ScoreCommand
{
    public const string Usage = "usage: score REQUEST.json OUTCOME.json (the evaluation jobs' child process; see ScoreProtocol)";

    public static bool Matches(string[] args) => args is [ScoreProtocol.Verb, ..];

    public static Task<int> RunAsync(string[] args, TextWriter output, TextWriter error, CancellationToken ct = default) =>
        ChildCommand.RunAsync<ScoreRequest>(args, Usage, error, (request, outcomePath) => ChildUsage.RunMeasuredAsync(output, async () =>
        {
            var outcome = await EvaluationComputation.ComputeAsync(request, new ChildCommand.LineProgress<double>(output, ScoreProtocol.ProgressLine), ct);
            await File.WriteAllTextAsync(outcomePath, JsonSerializer.Serialize(outcome, ChildCommand.Json), ct);
        }), ct);
}
