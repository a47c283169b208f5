namespace ControlPlane.Domain.Artifacts;

/// <summary>
/// An artifact as the store last saw it. <see cref="Version"/> changes whenever the content is published again (a
/// blob's ETag, a file's last-write time), so a removal can tell that someone still wants it.
/// </summary>
public sealed record StoredArtifact(string Sha256, long Size, DateTime LastPublishedUtc, string Version);

/// <summary>What a publish left in the store, and whether this call stored it (false: the same content was already there).</summary>
public sealed record PublishedArtifact(StoredArtifact Artifact, bool Created);
