using System.Text.Json;
using ControlPlane.Workers.Drift.Statistics;

namespace ControlPlane.Workers.Cli;

/// <summary>
/// The <c>drift</c> command's JSON: the dataset verdict and, per column, its type, missing shares, tests (deciding one
/// first; <c>normalized</c> only for Wasserstein, <c>pValue</c> only for KS and chi-square), verdict and status, and
/// <c>warnings</c> where a reported test cannot see drift on the column's counts (the method to read instead).
/// </summary>
internal static class DriftJson
{
    public static string Serialize(DatasetDriftResult result) =>
        JsonSerializer.Serialize(new Report(result.DatasetDrift, result.DriftShare, [.. result.Columns.Select(Column)]), CliJson.Options);

    private static ColumnJson Column(ColumnDriftResult column) => new(
        column.Name,
        column.Kind,
        new MissingShareJson(column.ReferenceMissingShare, column.CurrentMissingShare),
        [.. column.Tests.Select(t => new TestJson(DriftMethodNames.Of(t.Method), t.Statistic, t.Normalized, t.PValue, t.Threshold, t.Drifted))],
        column.Drifted,
        column.Status,
        column.Warnings.Count == 0 ? null : [.. column.Warnings.Select(w => new WarningJson(DriftMethodNames.Of(w.Method), DriftMethodNames.Of(w.Trust), w.Message))]);

    private sealed record Report(bool DatasetDrift, double DriftShare, IReadOnlyList<ColumnJson> Columns);

    private sealed record ColumnJson(
        string Name, DriftColumnKind Type, MissingShareJson MissingShare, IReadOnlyList<TestJson> Tests, bool Drifted, DriftStatus Status,
        IReadOnlyList<WarningJson>? Warnings);

    private sealed record WarningJson(string Method, string Read, string Message);

    private sealed record MissingShareJson(double Reference, double Current);

    private sealed record TestJson(string Method, double Statistic, double? Normalized, double? PValue, double Threshold, bool Drifted);
}
