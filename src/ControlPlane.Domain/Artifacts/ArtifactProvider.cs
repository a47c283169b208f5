namespace ControlPlane.Domain.Artifacts;

/// <summary>Where artifacts are kept (<c>ControlPlane:Artifacts:Provider</c>).</summary>
public enum ArtifactProvider
{
    FileSystem,
    AzureBlob,
}

public static class ArtifactProviders
{
    /// <summary>The provider a configured name stands for (case-insensitive); numbers and unknown names are not providers.</summary>
    public static ArtifactProvider? Parse(string? name) =>
        Enum.GetNames<ArtifactProvider>().FirstOrDefault(n => string.Equals(n, name?.Trim(), StringComparison.OrdinalIgnoreCase)) is { } match
            ? Enum.Parse<ArtifactProvider>(match)
            : null;
}
