using System.Text.Json;
using ControlPlane.Workers.Isolation;
using ControlPlane.Workers.Training;

namespace ControlPlane.Workers.Cli;

/// <summary>
/// <c>fit REQUEST.json OUTPUT-FOLDER</c>: trains one <see cref="TrainingInput"/> and writes the ML.NET zip and its
/// figures (<see cref="FitProtocol"/>). The training jobs run it as a child process, which they can kill: ML.NET's fit
/// cannot be cancelled from inside. Needs no configuration or database.
/// </summary>
public static class FitCommand
{
    public const string Usage = "usage: fit REQUEST.json OUTPUT-FOLDER (the training jobs' child process; see FitProtocol)";

    public static bool Matches(string[] args) => args is [FitProtocol.Verb, ..];

    public static Task<int> RunAsync(string[] args, TextWriter output, TextWriter error, CancellationToken ct = default) =>
        ChildCommand.RunAsync<TrainingInput>(args, Usage, error, async (input, folder) =>
        {
            var trained = await MlNetTrainer.TrainAsync(input, new ChildCommand.LineProgress<TrainingProgress>(output, FitProtocol.ProgressLine), ct);
            await using (var zip = File.Create(Path.Combine(folder, FitProtocol.ModelFile)))
                trained.SaveZip(zip);
            var result = new FitResult(trained.Metrics, trained.TrainingRows, trained.ValidationRows, trained.SkippedRows,
                trained.Loading.TotalMilliseconds, trained.Training.TotalMilliseconds);
            await File.WriteAllTextAsync(Path.Combine(folder, FitProtocol.ResultFile), JsonSerializer.Serialize(result, ChildCommand.Json), ct);
        }, ct);
}
