using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;

namespace ControlPlane.Workers.Tests.Isolation;

/// <summary>
/// Limits that would stop every job (a zero time limit, a negative memory cap, a lock timeout a busy job outlives)
/// stop the process at start with the setting named, rather than failing jobs later.
/// </summary>
public sealed class LimitSettingsTests
{
    [Theory]
    [InlineData("ControlPlane:Training:TimeLimit", "00:00:00", "ControlPlane:Training: TimeLimit must be positive")]
    [InlineData("ControlPlane:Training:MaxMemoryMegabytes", "-1", "ControlPlane:Training: TimeLimit must be positive and MaxMemoryMegabytes not negative")]
    [InlineData("ControlPlane:Evaluation:TimeLimit", "-00:01:00", "ControlPlane:Evaluation: TimeLimit must be positive")]
    [InlineData("ControlPlane:Evaluation:MaxMemoryMegabytes", "-512", "ControlPlane:Evaluation: TimeLimit must be positive and MaxMemoryMegabytes not negative")]
    [InlineData("Workers:LockTimeout", "00:00:04", "Workers:LockTimeout must be at least 5 seconds.")]
    public void A_limit_that_would_stop_every_job_is_refused_at_start(string key, string value, string message)
    {
        var error = Assert.Throws<OptionsValidationException>(() => Validate(new() { [key] = value }));

        Assert.Contains(message, error.Message);
    }

    [Fact]
    public void The_defaults_and_sensible_values_start()
    {
        Validate([]);
        Validate(new()
        {
            ["ControlPlane:Training:TimeLimit"] = "00:30:00", ["ControlPlane:Training:MaxMemoryMegabytes"] = "4096",
            ["ControlPlane:Evaluation:TimeLimit"] = "00:05:00", ["Workers:LockTimeout"] = "00:00:05",
        });
    }

    /// <summary>What <c>ValidateOnStart</c> runs when the host starts, on the workers' own registration.</summary>
    private static void Validate(Dictionary<string, string?> settings)
    {
        var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { DisableDefaults = true });
        builder.Configuration.AddInMemoryCollection(settings);
        builder.AddControlPlaneWorkers(runServer: false);
        using var services = builder.Services.BuildServiceProvider();
        services.GetRequiredService<IStartupValidator>().Validate();
    }
}
