using ControlPlane.Domain.Common;

namespace ControlPlane.Domain.Production.Ingest;

/// <summary>The actuals of one hour, column by column.</summary>
internal sealed class ActualColumns(DateTime hourUtc)
{
    public DateTime HourUtc { get; } = hourUtc;
    public List<string> Ids { get; } = [];
    public List<DateTime> Timestamps { get; } = [];
    public List<string> Actuals { get; } = [];
    public List<double?> Values { get; } = [];
    public int Count => Ids.Count;
}

/// <summary>
/// Checks each actual of a batch and keeps the good ones by hour. Actuals need no prediction to exist yet (they may
/// arrive first); readers join them whenever both are there.
/// </summary>
internal sealed class ActualBatch(DateTime nowUtc, int maxRecords, int rejectionsReported)
{
    private readonly HashSet<string> _ids = new(StringComparer.Ordinal);

    public Dictionary<DateTime, ActualColumns> Hours { get; } = [];
    public List<IngestRejection> Rejections { get; } = [];
    public int Records { get; private set; }
    public int Accepted { get; private set; }
    public int Rejected { get; private set; }

    public void Add(ActualDraft record)
    {
        if (++Records > maxRecords)
            throw new PayloadTooLargeException($"The batch has more than {maxRecords:N0} records, the limit per batch; split it.");
        if (Check(record) is { } reason)
        {
            Rejected++;
            if (Rejections.Count < rejectionsReported)
                Rejections.Add(new IngestRejection(record.Row, record.PredictionId, reason));
            return;
        }
        var hour = TelemetryPaths.HourOf(record.Timestamp!.Value);
        if (!Hours.TryGetValue(hour, out var columns))
            Hours[hour] = columns = new ActualColumns(hour);
        columns.Ids.Add(record.PredictionId!);
        columns.Timestamps.Add(record.Timestamp.Value);
        columns.Actuals.Add(record.Actual!);
        columns.Values.Add(record.ActualValue);
        Accepted++;
    }

    private string? Check(ActualDraft r)
    {
        if (r.Problem is not null)
            return r.Problem;
        if (string.IsNullOrEmpty(r.PredictionId))
            return "predictionId is missing";
        if (r.Timestamp is not { } ts)
            return "timestamp is missing";
        if (ts > nowUtc + PredictionBatch.FutureTolerance)
            return $"timestamp {ts:yyyy-MM-ddTHH:mm:ssZ} is more than an hour ahead of the server's clock";
        if (r.Actual is null)
            return "actual is missing";
        if (r.ActualValue is { } v && !double.IsFinite(v))
            return "actual is NaN or infinite";
        if (!_ids.Add(r.PredictionId))
            return $"predictionId '{r.PredictionId}' repeats an earlier record of this batch";
        return null;
    }
}
