namespace ControlPlane.Workers.Evaluation.Metrics;

/// <summary>Builds a report's flat view, leaving out what is undefined.</summary>
internal static class FlatMetrics
{
    public static IReadOnlyDictionary<string, double> Of(params ReadOnlySpan<(string Name, double? Value)> metrics)
    {
        var flat = new Dictionary<string, double>(metrics.Length, StringComparer.Ordinal);
        foreach (var (name, value) in metrics)
        {
            if (value is { } defined)
                flat[name] = defined;
        }
        return flat;
    }
}
