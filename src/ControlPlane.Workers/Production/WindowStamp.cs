using System.Security.Cryptography;
using System.Text;
using ControlPlane.Domain.Production;

namespace ControlPlane.Workers.Production;

/// <summary>A live segment as the windows job sees it in the index.</summary>
public sealed record SegmentRef(Guid Id, TelemetryKind Kind, DateTime HourUtc, long Rows, string Path);

/// <summary>
/// What a window reads, and its <see cref="ProductionWindow.InputsStamp"/>: SHA-256 over the sorted ids and row counts
/// of the live segments read, the previous window's prediction segments included (its drift against the previous
/// window reads them). Late predictions, late or corrected actuals and compaction all change the set, so a different
/// stamp now than when the window was computed means it must be computed again.
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

    public string Stamp()
    {
        var lines = Predictions.Select(s => $"p:{s.Id:N}:{s.Rows}").Concat(Actuals.Select(s => $"a:{s.Id:N}:{s.Rows}"))
            .Concat(PreviousPredictions.Select(s => $"q:{s.Id:N}:{s.Rows}")).Order(StringComparer.Ordinal);
        return Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(string.Join('\n', lines))));
    }
}
