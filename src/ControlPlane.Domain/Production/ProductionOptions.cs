namespace ControlPlane.Domain.Production;

/// <summary>Bound from <c>ControlPlane:Production</c>: prediction ingest, telemetry retention and the windows job.</summary>
public sealed class ProductionOptions
{
    public const string Section = "ControlPlane:Production";

    /// <summary>A request body above this is refused with 413 before anything is stored.</summary>
    public long MaxBodyBytes { get; set; } = 64L * 1024 * 1024;

    /// <summary>A batch with more records than this is refused with 413.</summary>
    public int MaxRecordsPerBatch { get; set; } = 100_000;

    /// <summary>Batches written at once by this process; the ones beyond wait up to <see cref="QueueTimeout"/>, then get 429.</summary>
    public int MaxConcurrentBatches { get; set; } = 4;

    public TimeSpan QueueTimeout { get; set; } = TimeSpan.FromSeconds(2);

    /// <summary>What a 429 asks the client to wait before it retries.</summary>
    public TimeSpan RetryAfter { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>How many rejected records a batch's answer describes one by one (all are counted).</summary>
    public int RejectionsReported { get; set; } = 20;

    /// <summary>
    /// Days a model's telemetry is kept unless its owner's admin chose otherwise for the model: six months, what the
    /// EU AI Act asks of deployers' logs (Art. 19, 26(6)).
    /// </summary>
    public int DefaultRetentionDays { get; set; } = 183;

    /// <summary>An hour's level-0 segments are merged once the hour is older than this (late batches still land after).</summary>
    public TimeSpan CompactAfter { get; set; } = TimeSpan.FromMinutes(10);

    /// <summary>Cron of the recurring windows job (every production monitor's due and late windows).</summary>
    public string WindowsSchedule { get; set; } = "*/10 * * * *";

    /// <summary>Cron of the recurring compaction and retention job.</summary>
    public string MaintenanceSchedule { get; set; } = "7 * * * *";
}
