using System.Globalization;

namespace ControlPlane.Workers.Production;

/// <summary>Which predictions a monitor watches: those made through an alias, or those served by some versions.</summary>
public sealed record TelemetryFilter(string? Alias, IReadOnlyList<int>? Versions)
{
    public static TelemetryFilter ForAlias(string alias) => new(alias, null);

    public static TelemetryFilter ForVersions(IReadOnlyList<int> versions) => new(null, versions);

    internal string Sql() => Alias is { } alias
        ? $"alias = {Sql(alias)}"
        : Versions is { Count: > 0 } versions ? $"version IN ({string.Join(',', versions.Select(v => v.ToString(CultureInfo.InvariantCulture)))})" : "FALSE";

    internal static string Sql(string text) => "'" + text.Replace("'", "''", StringComparison.Ordinal) + "'";
}
