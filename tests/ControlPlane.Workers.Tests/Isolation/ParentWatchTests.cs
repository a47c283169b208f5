using System.Diagnostics;
using System.Text.Json;
using ControlPlane.Domain.Training;
using ControlPlane.Workers.Isolation;
using ControlPlane.Workers.Tests.Training;
using ControlPlane.Workers.Training;

namespace ControlPlane.Workers.Tests.Isolation;

/// <summary>A fit child whose parent worker was SIGKILLed (it could not kill its children) ends itself.</summary>
public sealed class ParentWatchTests : IDisposable
{
    private readonly TrainingData _data = new("cp-parent-watch");

    [Fact]
    public async Task A_fit_child_ends_itself_within_seconds_of_its_parent_being_killed()
    {
        var input = await TrainingData.InputAsync(_data.Churn(20_000, seed: 3), TrainingTask.Binary, "churned", TrainerCatalog.LightGbm,
            [("tenure", FeatureTreatment.Numerical), ("monthlyCharges", FeatureTreatment.Numerical), ("contract", FeatureTreatment.Categorical)],
            new Dictionary<string, double> { ["numberOfIterations"] = 10_000, ["numberOfLeaves"] = 16_384, ["minimumExampleCountPerLeaf"] = 1, ["learningRate"] = 0.001 });
        var request = _data.Path("request.json");
        await File.WriteAllTextAsync(request, JsonSerializer.Serialize(input, ChildCommand.Json));
        using var parent = Process.Start(new ProcessStartInfo("sleep", "600"))!; // stands in for the worker
        var start = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var argument in new[] { typeof(FitProtocol).Assembly.Location, FitProtocol.Verb, request, _data.Path("") })
            start.ArgumentList.Add(argument);
        start.Environment[ParentWatch.Variable] = parent.Id.ToString(System.Globalization.CultureInfo.InvariantCulture);
        using var child = Process.Start(start)!;
        child.BeginOutputReadLine();
        child.BeginErrorReadLine();
        await Task.Delay(TimeSpan.FromSeconds(3)); // loading and fitting by now

        Assert.False(child.HasExited, "the fit ended before its parent was killed");
        parent.Kill();
        var ended = child.WaitForExit(TimeSpan.FromSeconds(10));

        if (!ended)
            child.Kill();
        Assert.True(ended, "the fit went on after its parent was killed");
        Assert.Equal(ParentWatch.OrphanExit, child.ExitCode);
    }

    public void Dispose() => _data.Dispose();
}
