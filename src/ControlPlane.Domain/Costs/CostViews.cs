namespace ControlPlane.Domain.Costs;

public enum CostGrouping
{
    Model,
    Kind,
    Month,
}

public static class CostGroupings
{
    /// <summary><c>model</c>, <c>kind</c> or <c>month</c>, in any case; anything else (a number included) is a 400.</summary>
    public static CostGrouping Parse(string? text) => text?.Trim().ToLowerInvariant() switch
    {
        null or "" or "model" => CostGrouping.Model,
        "kind" => CostGrouping.Kind,
        "month" => CostGrouping.Month,
        _ => throw new Common.ValidationException("groupBy must be model, kind or month.", new Dictionary<string, string[]> { ["groupBy"] = ["Not one of model, kind, month."] }),
    };
}

/// <summary>One group's cost in a range, and per month (<c>yyyy-MM</c>) for stacked bars.</summary>
public sealed record CostGroup(string Key, double Cost, double Hours, int Jobs, IReadOnlyDictionary<string, double> ByMonth);

public sealed record CostSummary(DateTime From, DateTime To, string Currency, double Total, CostGrouping GroupBy, IReadOnlyList<CostGroup> Groups);

public sealed record CostRunView(
    Guid UsageId, string JobId, string Kind, Guid? RunId, string? Model, string Worker, string Queue, DateTime StartedAt, DateTime? EndedAt,
    JobUsageOutcome Outcome, double WallMs, double CpuMs, double ChildCpuMs, long PeakMemoryBytes, bool PeakMemoryIsChild, double GpuMs, long? Rows,
    double Hours, double Cost);

public enum WastedReason
{
    NeverPromoted,
    WorseThanChampion,
}

public sealed record WastedRetrainView(Guid RunId, string Model, int? Version, DateTime? CompletedAt, WastedReason Reason, string Detail, double Cost);

public sealed record IdleMonitorView(Guid MonitorId, string Monitor, string? Model, string Schedule, int Runs, DateTime? LastRunAt, double Cost, int Months);
