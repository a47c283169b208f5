using System.Security.Cryptography;
using System.Text;
using ControlPlane.Domain.Production;

namespace ControlPlane.Workers.Production;

/// <summary>A live segment as the windows job sees it in the index.</summary>
public sealed record SegmentRef(Guid Id, TelemetryKind Kind, DateTime HourUtc, long Rows, string Path);

/// <summary>
/// What a window reads, and its <see cref="ProductionWindow.InputsStamp"/>: SHA-256 over the row counts of the live
/// segments read, by kind, the previous window's prediction segments included (its drift against the previous window
/// reads them), and over the monitor's <see cref="WindowDefinition"/>. Telemetry is append-only and compaction keeps
/// every row, so the counts move exactly when late predictions or late or corrected actuals arrive (or retention
/// removes hours), and not when compaction swaps an hour's files for one: a merge alone does not make a window be
/// computed again. An edited threshold, alpha, metric, reference or target does.
/// </summary>
public sealed record WindowInputs(DateTime StartUtc, DateTime EndUtc, IReadOnlyList<SegmentRef> Predictions, IReadOnlyList<SegmentRef> Actuals,
    IReadOnlyList<SegmentRef> PreviousPredictions)
{
    /// <summary>The prediction segments of the window's hours; actuals from <paramref name="before"/> its start to <paramref name="after"/> its end (none when there are no predictions).</summary>
    public static WindowInputs Of(IReadOnlyList<SegmentRef> segments, DateTime start, DateTime end, TimeSpan before, TimeSpan after)
    {
        var predictions = segments.Where(s => s.Kind == TelemetryKind.Predictions && s.HourUtc >= start && s.HourUtc < end).ToList();
        var actuals = predictions.Count == 0 ? []
            : segments.Where(s => s.Kind == TelemetryKind.Actuals && s.HourUtc >= start - before && s.HourUtc < end + after).ToList();
        var previous = segments.Where(s => s.Kind == TelemetryKind.Predictions && s.HourUtc >= start - (end - start) && s.HourUtc < start).ToList();
        return new WindowInputs(start, end, predictions, actuals, previous);
    }

    /// <param name="definition">The monitor's <see cref="WindowDefinition.Of"/>.</param>
    public string Stamp(string definition)
    {
        var counts = $"p:{Predictions.Sum(s => s.Rows)}\na:{Actuals.Sum(s => s.Rows)}\nq:{PreviousPredictions.Sum(s => s.Rows)}\nd:{definition}";
        return Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(counts)));
    }
}
