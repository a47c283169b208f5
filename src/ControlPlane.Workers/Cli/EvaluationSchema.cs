using ControlPlane.Domain.Datasets;
using ControlPlane.Domain.Datasets.Reading;

namespace ControlPlane.Workers.Cli;

/// <summary>
/// A scanned file's columns as the evaluator wants them: the label in the Label role; the <c>--features</c> columns
/// (or, without it, every other column) as Features; the rest Ignored. Types are the inferred ones.
/// </summary>
internal static class EvaluationSchema
{
    public static (IReadOnlyList<DatasetColumn> Schema, string Label, IReadOnlyList<string>? Features) Build(
        DatasetScan scan, string label, IReadOnlyList<string>? features)
    {
        var labelColumn = Find(scan, label)
            ?? throw new CliInputException($"label column '{label}' is not in the data file (its columns: {Names(scan)})");
        List<string>? chosen = features is null ? null : [.. features.Select(name =>
            Find(scan, name)?.Name ?? throw new CliInputException($"feature column '{name}' is not in the data file (its columns: {Names(scan)})"))];
        if (chosen?.Contains(labelColumn.Name) == true)
            throw new CliInputException($"'{labelColumn.Name}' is the label; it cannot also be a feature");

        var schema = scan.Columns.Select(c => new DatasetColumn(c.Ordinal, c.Name, c.InferredType, c.InferredType,
            c == labelColumn ? ColumnRole.Label : chosen is null || chosen.Contains(c.Name) ? ColumnRole.Feature : ColumnRole.Ignored,
            c.MissingCount)).ToList();
        return (schema, labelColumn.Name, chosen);
    }

    private static ScannedColumn? Find(DatasetScan scan, string name) =>
        scan.Columns.FirstOrDefault(c => string.Equals(c.Name, name, StringComparison.OrdinalIgnoreCase));

    private static string Names(DatasetScan scan)
    {
        const int shown = 20;
        var names = string.Join(", ", scan.Columns.Take(shown).Select(c => c.Name));
        return scan.Columns.Count > shown ? $"{names}, … {scan.Columns.Count - shown} more" : names;
    }
}
