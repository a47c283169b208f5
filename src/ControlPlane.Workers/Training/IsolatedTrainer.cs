using System.Text.Json;
using ControlPlane.Domain.Training;
using ControlPlane.Workers.Cli;
using ControlPlane.Workers.Isolation;
using Microsoft.Extensions.Options;

namespace ControlPlane.Workers.Training;

/// <summary>
/// Trains in a child process (<see cref="FitCommand"/>), because ML.NET's fit cannot be stopped from inside: a
/// LightGbm fit of 16,384 leaves × 10,000 iterations kept two cores busy for half an hour after its run was
/// cancelled. Cancelling kills the child at once; so do the time limit (the run ends TimedOut) and the memory limit
/// (the run fails), see <see cref="TrainingLimitOptions"/>.
/// </summary>
public sealed class IsolatedTrainer(IOptions<TrainingLimitOptions> options)
{
    /// <summary>
    /// Fits <paramref name="input"/> with its files in <paramref name="folder"/>, which the caller owns and deletes,
    /// within the spec's own time limit where it sets a shorter one than the server's.
    /// </summary>
    public async Task<FittedModel> TrainAsync(TrainingInput input, IProgress<TrainingProgress>? progress, string folder, CancellationToken ct,
        TimeSpan? specLimit = null)
    {
        Directory.CreateDirectory(folder);
        var request = Path.Combine(folder, "request.json");
        await File.WriteAllTextAsync(request, JsonSerializer.Serialize(input, ChildCommand.Json), ct);

        var limits = options.Value.ToLimits();
        var bySpec = specLimit is { } own && own < limits.Time;
        if (bySpec)
            limits = limits with { Time = specLimit!.Value };
        var outcome = await ChildProcess.RunAsync([FitProtocol.Verb, request, folder], limits, line =>
        {
            if (FitProtocol.TryParseProgress(line, out var p))
                progress?.Report(p);
        }, ct);
        outcome.Check(ct, stop => stop == ChildStop.TimedOut
                ? new TrainingStoppedException(TrainingRunStatus.TimedOut,
                    $"The fit was stopped after {limits.TimeText}, the time limit ({(bySpec ? "the spec's timeLimitMinutes" : "ControlPlane:Training:TimeLimit")}).")
                : new TrainingStoppedException(TrainingRunStatus.Failed,
                    $"The fit was stopped: it needed more than {limits.MegabytesText} MB of memory, the limit (ControlPlane:Training:MaxMemoryMegabytes)."),
            message => new TrainingInputException(message));
        var figures = JsonSerializer.Deserialize<FitResult>(await File.ReadAllTextAsync(Path.Combine(folder, FitProtocol.ResultFile), ct), ChildCommand.Json)
            ?? throw new InvalidDataException("The fit process wrote no result.");
        return new FittedModel(Path.Combine(folder, FitProtocol.ModelFile), figures);
    }
}
