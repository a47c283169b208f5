namespace ControlPlane.Domain.Costs;

/// <summary>One job attempt's time on a worker, with the hourly rate that applies to it.</summary>
public sealed record UsageSpan(Guid Id, string Worker, DateTime StartUtc, DateTime EndUtc, double HourlyRate);

/// <summary>The hours and cost charged to one job attempt within one calendar month (UTC).</summary>
public sealed record CostSlice(Guid UsageId, DateTime MonthUtc, double Hours, double Cost);

/// <summary>
/// Shared-worker attribution: time on a worker is cut into intervals at every start and end of a job on it (and at
/// month boundaries); over each interval the jobs running on that worker split it evenly, so n concurrent jobs are
/// each charged the interval's length ÷ n × their rate. A worker's hour is charged once in total, however many jobs
/// share it. Only time inside [from, to) counts.
/// </summary>
public static class CostAttribution
{
    public static IReadOnlyList<CostSlice> Attribute(IEnumerable<UsageSpan> spans, DateTime fromUtc, DateTime toUtc)
    {
        var slices = new Dictionary<(Guid, DateTime), (double Hours, double Cost)>();
        foreach (var worker in spans.Where(s => s.EndUtc > s.StartUtc).GroupBy(s => s.Worker, StringComparer.OrdinalIgnoreCase))
        {
            var events = worker.SelectMany(s => new[] { (Time: s.StartUtc, Start: true, Span: s), (Time: s.EndUtc, Start: false, Span: s) })
                .OrderBy(e => e.Time).ThenBy(e => e.Start).ToList(); // ends before starts at the same instant
            var active = new List<UsageSpan>();
            var previous = events[0].Time;
            foreach (var (time, start, span) in events)
            {
                if (time > previous && active.Count > 0)
                    Charge(active, previous, time, fromUtc, toUtc, slices);
                previous = time;
                if (start)
                    active.Add(span);
                else
                    active.Remove(span);
            }
        }
        return slices.Select(p => new CostSlice(p.Key.Item1, p.Key.Item2, p.Value.Hours, p.Value.Cost))
            .OrderBy(s => s.MonthUtc).ThenBy(s => s.UsageId).ToList();
    }

    private static void Charge(List<UsageSpan> active, DateTime from, DateTime to, DateTime rangeFrom, DateTime rangeTo,
        Dictionary<(Guid, DateTime), (double Hours, double Cost)> slices)
    {
        var start = from < rangeFrom ? rangeFrom : from;
        var end = to > rangeTo ? rangeTo : to;
        while (start < end)
        {
            var month = MonthOf(start);
            var pieceEnd = month.AddMonths(1) < end ? month.AddMonths(1) : end;
            var hours = (pieceEnd - start).TotalHours / active.Count;
            foreach (var span in active)
            {
                var key = (span.Id, month);
                var (h, c) = slices.GetValueOrDefault(key);
                slices[key] = (h + hours, c + hours * span.HourlyRate);
            }
            start = pieceEnd;
        }
    }

    public static DateTime MonthOf(DateTime utc) => new(utc.Year, utc.Month, 1, 0, 0, 0, DateTimeKind.Utc);
}
