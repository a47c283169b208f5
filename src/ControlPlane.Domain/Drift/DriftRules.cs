using ControlPlane.Domain.Common;
using ControlPlane.Domain.Datasets;

namespace ControlPlane.Domain.Drift;

/// <summary>What a monitor definition must satisfy before it is saved.</summary>
public static class DriftRules
{
    public static readonly IReadOnlyList<string> Methods = ["ks", "wasserstein", "psi", "jensenshannon", "chisquare"];
    private static readonly HashSet<string> NumericOnly = ["ks", "wasserstein"];

    /// <summary>A bound on what one run stores per column: each category costs about 100 bytes of JSON.</summary>
    public const int MaxHistogramCategories = 1000;

    public static void Validate(DriftMonitorSettings settings, IReadOnlyList<DatasetColumn> reference)
    {
        if (!(settings.DriftShareThreshold > 0 && settings.DriftShareThreshold <= 1))
            throw Invalid("settings", "The dataset-drift share is a fraction in (0, 1].");
        if (settings.MinimumValues is < 1 or > 1_000_000)
            throw Invalid("settings", "The minimum number of values per column is between 1 and 1,000,000.");
        if (settings.MaxHistogramCategories is < 1 or > MaxHistogramCategories)
            throw Invalid("settings", $"The categories kept per histogram are between 1 and {MaxHistogramCategories:N0}.");
        var byName = reference.ToDictionary(c => c.Name, StringComparer.OrdinalIgnoreCase);
        foreach (var column in settings.Columns ?? [])
            if (!byName.ContainsKey(column))
                throw Invalid("settings", $"The reference data has no column named '{column}'.");
        foreach (var (column, over) in settings.Overrides ?? new Dictionary<string, ColumnDriftOverride>())
        {
            if (!byName.TryGetValue(column, out var found))
                throw Invalid("settings", $"The reference data has no column named '{column}'.");
            if (over.Method is { } method)
            {
                if (!Methods.Contains(method))
                    throw Invalid("settings", $"Unknown drift method '{method}' for '{column}'; use one of {string.Join(", ", Methods)}.");
                if (NumericOnly.Contains(method) && found.Type != ColumnType.Numerical)
                    throw Invalid("settings", $"'{method}' compares numbers; '{column}' is {found.Type}.");
            }
            if (over.Threshold is { } t && !(double.IsFinite(t) && t > 0))
                throw Invalid("settings", $"The threshold for '{column}' must be a positive number.");
        }
    }

    public static TimeZoneInfo TimeZone(string? id)
    {
        try
        {
            return string.IsNullOrWhiteSpace(id) ? TimeZoneInfo.Utc : TimeZoneInfo.FindSystemTimeZoneById(id.Trim());
        }
        catch (TimeZoneNotFoundException)
        {
            throw Invalid("timeZone", $"Unknown time zone '{id}'. Use an IANA name such as Europe/Paris or UTC.");
        }
    }

    private static ValidationException Invalid(string field, string message) => ValidationException.For(field, message);
}
