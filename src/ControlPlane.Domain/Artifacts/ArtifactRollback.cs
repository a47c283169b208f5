using ControlPlane.Domain.Persistence;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging;

namespace ControlPlane.Domain.Artifacts;

/// <summary>
/// Takes back an artifact whose row did not commit. Artifacts are content-addressed, so the same bytes may belong to
/// another row or to an upload in flight elsewhere: the artifact is removed only when this call stored it, no row
/// references its hash, and nobody published it again since (the store's conditional removal). Anything else, and
/// anything this cannot reach, is left to the artifact sweep.
/// </summary>
public sealed class ArtifactRollback(IArtifactStore store, IDbContextFactory<ControlPlaneDbContext> contexts, ILogger<ArtifactRollback> logger)
{
    /// <summary>Call <see cref="PendingArtifact.Committed"/> once the row commits; disposing it otherwise takes the artifact back.</summary>
    public PendingArtifact Pending(PublishedArtifact published) => new(this, published);

    internal async Task UndoAsync(PublishedArtifact published)
    {
        if (!published.Created)
            return;
        var sha256 = published.Artifact.Sha256;
        try
        {
            // Not the caller's token: a cancelled upload is one of the failures this cleans up after.
            await using var db = await contexts.CreateDbContextAsync(CancellationToken.None);
            if ((await ArtifactReferences.AmongAsync(db, [sha256], CancellationToken.None)).Count == 0)
                await store.RemoveIfUnchangedAsync(published.Artifact, CancellationToken.None);
        }
        catch (Exception e)
        {
            logger.LogWarning(e, "The artifact {Sha256} of a failed upload could not be taken back; the artifact sweep will remove it.", sha256);
        }
    }
}

/// <summary>A published artifact whose row has not committed yet.</summary>
public sealed class PendingArtifact(ArtifactRollback rollback, PublishedArtifact published) : IAsyncDisposable
{
    private bool _committed;

    public void Committed() => _committed = true;

    public async ValueTask DisposeAsync()
    {
        if (!_committed)
            await rollback.UndoAsync(published);
    }
}
