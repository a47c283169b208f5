namespace ControlPlane.Domain.Telemetry;

/// <summary>Attribute names and the closed set of outcomes on ControlPlane's instruments.</summary>
public static class TelemetryTags
{
    public const string JobType = "job.type";
    public const string JobQueue = "job.queue";
    public const string JobId = "job.id";
    public const string Outcome = "outcome";
    public const string Model = "model";
    public const string Kind = "kind";

    public const string Succeeded = "succeeded";
    public const string Failed = "failed";
    public const string Cancelled = "cancelled";

    /// <summary>Cancelled when the work was stopped (shutdown, an aborted job), failed on any other exception.</summary>
    public static string OutcomeOf(Exception? exception) => exception switch
    {
        null => Succeeded,
        OperationCanceledException => Cancelled,
        _ => Failed,
    };
}
