namespace ControlPlane.Domain;

/// <summary>Bound from the <c>ControlPlane</c> section.</summary>
public sealed class ControlPlaneOptions
{
    public const string Section = "ControlPlane";

    /// <summary>Where the SQLite files, artifacts and datasets live; relative paths are resolved against the content root.</summary>
    public string DataDirectory { get; set; } = "data";
}
