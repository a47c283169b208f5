namespace ControlPlane.Domain.Comparisons;

/// <param name="Champion">A version number or an alias; null: the version that served most primary predictions in the range.</param>
/// <param name="Challenger">A version number or an alias; null: the alias "challenger".</param>
/// <param name="From">Start of the range (UTC, inclusive); with <paramref name="To"/> null, the last 24 hours.</param>
/// <param name="Tolerance">Scores or values this close agree (default 0.05).</param>
public sealed record ComparisonRequest(string? Champion = null, string? Challenger = null, DateTime? From = null, DateTime? To = null, double? Tolerance = null);

public sealed record ComparisonView(Guid Id, string Model, string? ChampionRef, int? ChampionVersion, string ChallengerRef, int ChallengerVersion,
    DateTime From, DateTime To, double Tolerance, ComparisonStatus Status, string? Mode, long? Labelled, string? Error, string? JobId,
    string RequestedBy, DateTime RequestedAt, DateTime? StartedAt, DateTime? CompletedAt, ComparisonResult? Result);
