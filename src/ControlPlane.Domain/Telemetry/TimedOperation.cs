using System.Diagnostics;
using System.Diagnostics.Metrics;

namespace ControlPlane.Domain.Telemetry;

public static class TimedOperation
{
    /// <summary>
    /// Runs <paramref name="work"/> in a span named <paramref name="spanName"/> and records its duration in
    /// <paramref name="histogram"/>, tagged with its outcome.
    /// </summary>
    public static async Task<T> MeasureAsync<T>(this Histogram<double> histogram, string spanName, Func<Task<T>> work)
    {
        using var activity = ControlPlaneTelemetry.Source.StartActivity(spanName);
        var started = Stopwatch.GetTimestamp();
        Exception? error = null;
        try
        {
            return await work();
        }
        catch (Exception e)
        {
            error = e;
            activity?.AddException(e);
            activity?.SetStatus(ActivityStatusCode.Error, e.Message);
            throw;
        }
        finally
        {
            var outcome = TelemetryTags.OutcomeOf(error);
            activity?.SetTag(TelemetryTags.Outcome, outcome);
            histogram.Record(Stopwatch.GetElapsedTime(started).TotalSeconds, new KeyValuePair<string, object?>(TelemetryTags.Outcome, outcome));
        }
    }
}
