using System.Diagnostics;
using System.Diagnostics.Metrics;

namespace ControlPlane.Domain.Telemetry;

/// <summary>
/// The one <see cref="ActivitySource"/> and <see cref="Meter"/> of ControlPlane's own spans and instruments, shared by
/// the web app, the job servers and the domain services. Names and units follow OpenTelemetry's conventions; the
/// Prometheus exporter turns <c>controlplane.job.duration</c> (s) into <c>controlplane_job_duration_seconds</c> and
/// counters into <c>…_total</c> (docs/observability.md lists them all).
/// </summary>
public static class ControlPlaneTelemetry
{
    public const string Name = "ControlPlane";

    public static readonly ActivitySource Source = new(Name);
    public static readonly Meter Meter = new(Name);

    // Jobs run from milliseconds (a self-test) to hours (training on a big file).
    private static readonly InstrumentAdvice<double> Seconds = new()
    {
        HistogramBucketBoundaries = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 120, 300, 600, 1800, 3600, 7200],
    };

    public static readonly Counter<long> JobsStarted = Meter.CreateCounter<long>(
        "controlplane.jobs.started", "{job}", "Job attempts started, by job type and queue.");

    public static readonly Counter<long> JobsCompleted = Meter.CreateCounter<long>(
        "controlplane.jobs.completed", "{job}", "Job attempts ended, by job type and outcome (succeeded, failed, cancelled).");

    public static readonly Histogram<double> JobDuration = Meter.CreateHistogram(
        "controlplane.job.duration", "s", "How long one job attempt ran, by job type and outcome.", advice: Seconds);

    public static readonly Histogram<double> JobQueueWait = Meter.CreateHistogram(
        "controlplane.job.queue.wait", "s", "Time from a job entering its queue to a worker starting it, by job type and queue.", advice: Seconds);

    public static readonly Histogram<double> DriftRunDuration = Meter.CreateHistogram(
        "controlplane.drift.run.duration", "s", "How long a drift comparison took (reading both datasets and the statistics), by outcome.", advice: Seconds);

    public static readonly Histogram<double> EvaluationDuration = Meter.CreateHistogram(
        "controlplane.evaluation.duration", "s", "How long an evaluation took (reading the data, scoring and metrics), by outcome.", advice: Seconds);

    /// <summary>Prediction and actual rows accepted by the ingest API (rows/s is its rate).</summary>
    public static readonly Counter<long> IngestedRows = Meter.CreateCounter<long>(
        "controlplane.ingest.rows", "{row}", "Prediction and actual rows accepted by the ingest API, by model and kind.");
}
