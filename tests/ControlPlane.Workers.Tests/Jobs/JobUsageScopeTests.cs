using System.Globalization;
using ControlPlane.Domain.Datasets;
using ControlPlane.Domain.Evaluations;
using ControlPlane.Domain.Registry;
using ControlPlane.TestModels;
using ControlPlane.TestSupport;
using ControlPlane.Workers.Evaluation;
using ControlPlane.Workers.Evaluation.Engine;
using ControlPlane.Workers.Isolation;
using ControlPlane.Workers.Jobs;
using Microsoft.Extensions.Options;

namespace ControlPlane.Workers.Tests.Jobs;

/// <summary>What a job's usage scope counts: its own threads' CPU (not work beside it), and what its child processes report.</summary>
public sealed class JobUsageScopeTests : IDisposable
{
    private readonly TempDirectory _dir = new("cp-job-usage");

    /// <summary>Burns CPU on the calling thread until its own CPU clock has advanced by <paramref name="cpu"/>.</summary>
    private static void Spin(TimeSpan cpu)
    {
        var start = ThreadCpuClock.NowTicks();
        var x = 0.0;
        while (ThreadCpuClock.NowTicks() - start < cpu.Ticks)
            x += Math.Sqrt(x + 1);
        GC.KeepAlive(x);
    }

    [Fact]
    public async Task The_scope_counts_the_cpu_of_its_own_flow_across_threads_and_not_work_running_beside_it()
    {
        Assert.True(ThreadCpuClock.Supported, "the test machines run Linux");
        using var release = new ManualResetEventSlim();
        // Started before the scope, on its own thread: runs while the scope's work runs, and must not be counted.
        var beside = Task.Factory.StartNew(() => { Spin(TimeSpan.FromMilliseconds(600)); release.Wait(); }, TaskCreationOptions.LongRunning);

        var scope = await MeasuredAsync(async () =>
        {
            await Task.Run(() => Spin(TimeSpan.FromMilliseconds(300)));                        // a pool thread
            await Task.WhenAll(Task.Run(() => Spin(TimeSpan.FromMilliseconds(100))), Task.Run(() => Spin(TimeSpan.FromMilliseconds(100)))); // two at once
            Spin(TimeSpan.FromMilliseconds(100));                                               // the continuation's thread
        });
        release.Set();
        await beside;

        // 300 + 100 + 100 + 100 ms of the flow's own CPU; the scaffolding around it adds a little, the 600 ms beside it nothing.
        Assert.InRange(scope.Cpu.TotalMilliseconds, 600, 600 + 250);
        Assert.False(scope.HasChild);
        Assert.True(scope.PeakMemoryBytes > 0);
        Assert.Null(scope.Rows);
    }

    [Fact]
    public async Task A_scoring_child_adds_its_rows_cpu_and_peak_memory_to_the_job_that_ran_it()
    {
        var modelPath = _dir.File("model.onnx");
        File.WriteAllBytes(modelPath, HandBuiltOnnx.MemoryBomb(widening: 1));
        var dataPath = _dir.File("data.csv");
        File.WriteAllLines(dataPath, ["x,y", .. Enumerable.Range(1, 3000).Select(i => string.Create(CultureInfo.InvariantCulture, $"{i},{i}"))]);
        var schema = new List<DatasetColumn>
        {
            new(0, "x", ColumnType.Numerical, ColumnType.Numerical, ColumnRole.Feature, 0),
            new(1, "y", ColumnType.Numerical, ColumnType.Numerical, ColumnRole.Label, 0),
        };
        var input = new EvaluationInput(modelPath, dataPath, DatasetFormat.Csv, schema, "y") { Device = EvaluationDevice.Cpu };
        var request = new ScoreRequest(ModelFlavor.Onnx, new string('0', 64), input, EvaluationTask.Regression, 0.5, _dir.File("exports"));
        var scorer = new IsolatedScorer(Options.Create(new EvaluationLimitOptions()));

        var scope = await MeasuredAsync(() => scorer.ScoreAsync(request, null, CancellationToken.None));

        Assert.Equal(3000, scope.Rows);
        Assert.True(scope.HasChild);
        Assert.True(scope.ChildCpu > TimeSpan.Zero, $"child CPU {scope.ChildCpu}");
        Assert.True(scope.PeakMemoryBytes > 10 << 20, $"peak {scope.PeakMemoryBytes}"); // a .NET process with ONNX Runtime loaded
        Assert.Equal(TimeSpan.Zero, scope.Gpu); // scored on the CPU
    }

    [Fact]
    public void A_usage_line_adds_rows_and_gpu_time_and_other_lines_are_left_alone()
    {
        var scope = JobUsageScope.Begin();
        scope.End();

        Assert.True(ChildUsage.TryApply(ChildUsage.Line(1234, TimeSpan.FromMilliseconds(56.5)), scope));
        Assert.False(ChildUsage.TryApply("progress\t0.5", scope));
        Assert.False(ChildUsage.TryApply("usage\tmany\t1", scope));

        Assert.Equal((1234L, 56.5), (scope.Rows!.Value, scope.Gpu.TotalMilliseconds));
    }

    private static async Task<JobUsageScope> MeasuredAsync(Func<Task> work)
    {
        var scope = JobUsageScope.Begin();
        try
        {
            await work();
        }
        finally
        {
            scope.End();
        }
        return scope;
    }

    public void Dispose() => _dir.Dispose();
}
