namespace ControlPlane.Domain.Artifacts;

/// <summary>Bound from <c>ControlPlane:Artifacts</c>.</summary>
public sealed class ArtifactOptions
{
    public const string Section = "ControlPlane:Artifacts";

    /// <summary>Relative paths resolve against the data directory.</summary>
    public string Directory { get; set; } = "artifacts";

    public long MaxUploadBytes { get; set; } = 2L * 1024 * 1024 * 1024;
}
