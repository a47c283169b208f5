using ControlPlane.Domain.Training;
using ControlPlane.TestSupport;
using ControlPlane.Workers.Training;
using Microsoft.Extensions.Options;

namespace ControlPlane.Workers.Tests.Training;

/// <summary>
/// A spec's own time limit stops its fit when it is the shorter one, and the server's limit still caps a spec that
/// asks for more; each stop names the limit that applied. The fit is a minutes-long LightGbm one, in its child process.
/// </summary>
public sealed class SpecTimeLimitTests : IDisposable
{
    private readonly TrainingData _data = new();
    private readonly TempDirectory _work = new("cp-spec-limit");

    [Theory]
    [InlineData(7200, 3, "the spec's timeLimitMinutes")]
    [InlineData(3, 60, "ControlPlane:Training:TimeLimit")]
    public async Task The_shorter_of_the_spec_and_server_limits_stops_the_fit_and_is_named(int serverSeconds, int specSeconds, string named)
    {
        var input = await TrainingData.InputAsync(_data.Churn(20_000, seed: 82), TrainingTask.Binary, "churned", TrainerCatalog.LightGbm,
            [("tenure", FeatureTreatment.Numerical), ("monthlyCharges", FeatureTreatment.Numerical), ("contract", FeatureTreatment.Categorical)],
            new Dictionary<string, double> { ["numberOfIterations"] = 10_000, ["numberOfLeaves"] = 16_384, ["minimumExampleCountPerLeaf"] = 1, ["learningRate"] = 0.001 });
        var trainer = new IsolatedTrainer(Options.Create(new TrainingLimitOptions { TimeLimit = TimeSpan.FromSeconds(serverSeconds) }));

        var stopped = await Assert.ThrowsAsync<TrainingStoppedException>(() =>
            trainer.TrainAsync(input, null, Path.Combine(_work.Path, "fit"), CancellationToken.None, TimeSpan.FromSeconds(specSeconds)));

        Assert.Equal(TrainingRunStatus.TimedOut, stopped.Status);
        Assert.Equal($"The fit was stopped after 3 s, the time limit ({named}).", stopped.Message);
    }

    public void Dispose()
    {
        _data.Dispose();
        _work.Dispose();
    }
}
