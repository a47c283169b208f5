using ControlPlane.TestSupport;
using ControlPlane.Workers.Cli;

namespace ControlPlane.Workers.Tests.Cli;

/// <summary>Help or an unknown word prints the usage and exits 2; it never starts a job server on a default database.</summary>
public sealed class JobServerArgumentsTests
{
    [Theory]
    [InlineData("--help")]
    [InlineData("-h")]
    [InlineData("help")]
    [InlineData("serve")]
    [InlineData("--Workers:Queues:0=gpu", "extra")]
    [InlineData("--Database:Provider")]
    public void Help_and_unknown_words_are_unexpected(params string[] args) => Assert.NotNull(JobServerArguments.Unexpected(args));

    [Theory]
    [InlineData]
    [InlineData("--Database:Provider=PostgreSql")]
    [InlineData("--Database:Provider", "PostgreSql", "--Workers:Queues:0=gpu")]
    [InlineData("/Workers:ServerName", "gpu-1")]
    [InlineData("Workers:WorkerCount=4")]
    public void Configuration_overrides_are_accepted(params string[] args) => Assert.Null(JobServerArguments.Unexpected(args));

    [Theory]
    [InlineData("--help")]
    [InlineData("bogus")]
    public async Task The_process_prints_the_usage_exits_2_and_creates_no_database(string arg)
    {
        using var directory = new TempDirectory("cp-workers-help");
        var (exitCode, output) = await AppProcess.RunAsync("ControlPlane.Workers", new Dictionary<string, string> { ["ControlPlane__DataDirectory"] = directory.Path },
            directory.Path, TimeSpan.FromSeconds(60), [arg]);
        Assert.Equal(2, exitCode);
        Assert.Contains("usage: ControlPlane.Workers", output);
        Assert.Empty(Directory.GetFiles(directory.Path, "*.db", SearchOption.AllDirectories));
    }
}
