namespace ControlPlane.Domain.Artifacts;

/// <summary>Bound from <c>ControlPlane:Artifacts</c>.</summary>
public sealed class ArtifactOptions
{
    public const string Section = "ControlPlane:Artifacts";

    /// <summary><c>FileSystem</c> (default) or <c>AzureBlob</c>; anything else stops the start.</summary>
    public string Provider { get; set; } = nameof(ArtifactProvider.FileSystem);

    /// <summary>The store itself (FileSystem). Relative paths resolve against the data directory.</summary>
    public string Directory { get; set; } = "artifacts";

    public long MaxUploadBytes { get; set; } = 2L * 1024 * 1024 * 1024;

    public AzureBlobArtifactOptions AzureBlob { get; set; } = new();

    public ArtifactSweepOptions Sweep { get; set; } = new();
}

/// <summary>Bound from <c>ControlPlane:Artifacts:Sweep</c>: the recurring <c>artifact-sweep</c> job.</summary>
public sealed class ArtifactSweepOptions
{
    /// <summary>
    /// Artifacts published more recently than this are never swept: an upload publishes its file before its row
    /// commits, so the grace period must be longer than the slowest upload takes from publish to commit. At least an hour.
    /// </summary>
    public TimeSpan GracePeriod { get; set; } = TimeSpan.FromDays(1);

    /// <summary>Only count and audit what would be removed, and remove nothing.</summary>
    public bool ReportOnly { get; set; }
}

/// <summary>Bound from <c>ControlPlane:Artifacts:AzureBlob</c>.</summary>
public sealed class AzureBlobArtifactOptions
{
    /// <summary>
    /// An Azure Storage connection string (account key or SAS). A secret: never logged or put in a message. Set either
    /// this or <see cref="ServiceUri"/>, not both.
    /// </summary>
    public string? ConnectionString { get; set; }

    /// <summary>
    /// The account's blob endpoint (<c>https://ACCOUNT.blob.core.windows.net</c>), reached with a Microsoft Entra ID
    /// token from <see cref="Credential"/> instead of a connection string: how a managed identity is used.
    /// </summary>
    public string? ServiceUri { get; set; }

    /// <summary>With <see cref="ServiceUri"/>: <c>DefaultAzureCredential</c> (default: environment, workload identity, managed identity, …) or <c>ManagedIdentity</c>.</summary>
    public string? Credential { get; set; }

    /// <summary>With <see cref="ServiceUri"/>: the client id of a user-assigned managed identity; empty for the system-assigned one.</summary>
    public string? ClientId { get; set; }

    /// <summary>Created on first use when missing.</summary>
    public string Container { get; set; } = "controlplane-artifacts";

    /// <summary>Staging area and local copies for readers that need a file. Relative paths resolve against the data directory.</summary>
    public string CacheDirectory { get; set; } = "artifact-cache";

    /// <summary>Retries of a failed request (exponential back-off from 0.8 s) before the store counts as unreachable.</summary>
    public int MaxRetries { get; set; } = 3;

    internal bool UsesServiceUri => !string.IsNullOrWhiteSpace(ServiceUri);
}
