namespace ControlPlane.Domain.Audit;

/// <summary>
/// The verdict on the trail. <see cref="State"/> is <c>intact</c> (chain, MACs and signed digests agree),
/// <c>broken</c> (tampering found, <see cref="Problem"/> says where) or <c>unanchored</c> (the chain is consistent,
/// but no valid digest vouches for it recently enough: missing file, no digest yet, or the newest digest is stale).
/// Only <c>intact</c> sets <see cref="Intact"/>.
/// </summary>
public sealed record AuditVerification(
    string State, long EventsChecked, long? FirstBrokenSequence, string? Problem, long LastSequence, string LastHash, long? AnchoredSequence = null)
{
    public const string IntactState = "intact";
    public const string BrokenState = "broken";
    public const string UnanchoredState = "unanchored";

    public bool Intact => State == IntactState;
}
