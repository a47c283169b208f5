namespace ControlPlane.Domain.Production.Ingest;

/// <summary>A record refused on ingest: its 1-based position in the batch, its id if it had one, and why.</summary>
public sealed record IngestRejection(int Row, string? PredictionId, string Reason);

/// <summary>One Parquet file a batch wrote (one per hour its records touch).</summary>
public sealed record IngestedSegment(Guid Id, DateTime HourUtc, long Rows, string Path);

/// <summary>The answer to a batch: how many records were stored and refused, the first refusals, and the files written.</summary>
public sealed record IngestResult(int Accepted, int Rejected, IReadOnlyList<IngestRejection> Rejections, IReadOnlyList<IngestedSegment> Segments);
