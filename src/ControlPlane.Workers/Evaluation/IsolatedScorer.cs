using System.Text.Json;
using ControlPlane.Workers.Cli;
using ControlPlane.Workers.Evaluation.Engine;
using ControlPlane.Workers.Isolation;
using Microsoft.Extensions.Options;

namespace ControlPlane.Workers.Evaluation;

/// <summary>
/// Scores in a child process (<see cref="ScoreCommand"/>): a user's model decides what memory ONNX Runtime takes (an
/// 852-byte model whose ConstantOfShape grows with the batch took the web process from 447 MB to 6.5 GB). Past the
/// limits of <see cref="EvaluationLimitOptions"/> the child is killed and the evaluation fails saying so; a stopping
/// worker kills it and gives the job back.
/// </summary>
public sealed class IsolatedScorer(IOptions<EvaluationLimitOptions> options)
{
    public async Task<EvaluationOutcome> ScoreAsync(ScoreRequest request, IProgress<double>? progress, CancellationToken ct)
    {
        var folder = Path.Combine(Path.GetTempPath(), $"controlplane-score-{Guid.NewGuid():N}");
        Directory.CreateDirectory(folder);
        try
        {
            var requestPath = Path.Combine(folder, "request.json");
            var outcomePath = Path.Combine(folder, "outcome.json");
            await File.WriteAllTextAsync(requestPath, JsonSerializer.Serialize(request, ChildCommand.Json), ct);
            var limits = options.Value.ToLimits();
            var usage = Jobs.JobUsageScope.Current;
            var outcome = await ChildProcess.RunAsync([ScoreProtocol.Verb, requestPath, outcomePath], limits, line =>
            {
                if (ScoreProtocol.TryParseProgress(line, out var fraction))
                    progress?.Report(fraction);
                else
                    ChildUsage.TryApply(line, usage);
            }, ct);
            outcome.Check(ct, stop => new EvaluationInputException(stop == ChildStop.TimedOut
                    ? $"The evaluation was stopped after {limits.TimeText}, the time limit (ControlPlane:Evaluation:TimeLimit)."
                    : $"The model needed more than {limits.MegabytesText} MB of memory, the limit (ControlPlane:Evaluation:MaxMemoryMegabytes); the evaluation was stopped."),
                message => new EvaluationInputException(message));
            return JsonSerializer.Deserialize<EvaluationOutcome>(await File.ReadAllTextAsync(outcomePath, ct), ChildCommand.Json)
                ?? throw new InvalidDataException("The scoring process wrote no outcome.");
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }
}
