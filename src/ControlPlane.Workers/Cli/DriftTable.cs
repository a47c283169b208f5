using System.Globalization;
using ControlPlane.Workers.Drift.Statistics;

namespace ControlPlane.Workers.Cli;

/// <summary>
/// The <c>drift</c> command's table: a line per column with its deciding test's figures, a summary line, then a line
/// per test that cannot see drift on its column's counts.
/// </summary>
internal static class DriftTable
{
    public static async Task WriteAsync(TextWriter output, DatasetDriftResult result)
    {
        List<string[]> rows = [["column", "type", "status", "test", "statistic", "normalized", "p-value", "threshold", "missing ref", "missing cur"]];
        foreach (var column in result.Columns)
        {
            var verdict = column.Tests.FirstOrDefault();
            rows.Add([
                column.Name,
                Camel(column.Kind.ToString()),
                Camel(column.Status.ToString()),
                verdict is null ? TextTable.None : DriftMethodNames.Of(verdict.Method),
                TextTable.Number(verdict?.Statistic),
                TextTable.Number(verdict?.Normalized),
                TextTable.Number(verdict?.PValue),
                TextTable.Number(verdict?.Threshold),
                TextTable.Number(column.ReferenceMissingShare),
                TextTable.Number(column.CurrentMissingShare),
            ]);
        }
        await TextTable.WriteAsync(output, rows);

        var judged = result.Columns.Count(c => c.Status != DriftStatus.InsufficientData);
        var drifted = result.Columns.Count(c => c.Drifted);
        var insufficient = result.Columns.Count - judged;
        var note = insufficient > 0 ? string.Create(CultureInfo.InvariantCulture, $"; {insufficient} with insufficient data") : "";
        await output.WriteLineAsync(string.Create(CultureInfo.InvariantCulture,
            $"dataset drift: {(result.DatasetDrift ? "yes" : "no")}; {drifted} of {judged} judged columns drifted (share {TextTable.Number(result.DriftShare)}){note}"));
        foreach (var column in result.Columns)
            foreach (var warning in column.Warnings)
                await output.WriteLineAsync($"warning: {column.Name}: {warning.Message}");
    }

    private static string Camel(string name) => char.ToLowerInvariant(name[0]) + name[1..];
}
