namespace ControlPlane.Domain.Production.Ingest;

/// <summary>One actual (ground truth) as read from the body, reused from record to record.</summary>
internal sealed class ActualDraft
{
    public int Row { get; private set; }
    public string? Problem { get; private set; }
    public string? PredictionId { get; set; }
    public DateTime? Timestamp { get; set; }
    public string? Actual { get; set; }
    public double? ActualValue { get; set; }

    public void Reset(int row)
    {
        Row = row;
        Problem = PredictionId = Actual = null;
        Timestamp = null;
        ActualValue = null;
    }

    public void Fail(string reason) => Problem ??= reason;
}
