namespace ControlPlane.Integration.Tests;

/// <summary>
/// Tests that load every core for minutes (many processes, timings that depend on the machine's speed) run after the
/// others and alone, so they neither starve nor are starved by the rest of the project.
/// </summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class AloneCollection
{
    public const string Name = "alone";
}
