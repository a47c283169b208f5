using ControlPlane.Domain.Common;

namespace ControlPlane.Domain.Artifacts;

/// <summary>
/// The artifact store could not be reached or refused the credentials (503): nothing was stored or read. The message
/// names the store's endpoint and the reason, never a connection string or key.
/// </summary>
public sealed class ArtifactStoreUnavailableException(string message, Exception? inner = null)
    : DomainException("Artifact store unavailable.", message, inner);
