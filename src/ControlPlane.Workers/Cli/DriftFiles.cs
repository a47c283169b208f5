using ControlPlane.Domain.Datasets;
using ControlPlane.Domain.Datasets.Reading;
using ControlPlane.Workers.Drift.Statistics;

namespace ControlPlane.Workers.Cli;

/// <summary>
/// Reads the columns to compare from a reference and a current file: the ones named, or every column both files have
/// (names match ignoring case, as they must differ within a file). The reference's inferred type decides how both sides
/// are read, so a current file that gained a few stray words in a number column still compares as numbers (those cells
/// count as missing): Numerical as numbers; Categorical, Boolean and Text as categories; DateTime columns are left out,
/// and naming one is an error.
/// </summary>
internal static class DriftFiles
{
    private const string ReferenceRole = "reference file";
    private const string CurrentRole = "current file";
    private const int BatchRows = 8192;

    public static async Task<(DriftColumnInput[] Reference, DriftColumnInput[] Current)> ReadAsync(
        string referencePath, string currentPath, IReadOnlyList<string>? names, CancellationToken ct)
    {
        var referenceScan = await InputFile.ReadAsync(ReferenceRole, referencePath, () => DatasetScanner.ScanAsync(referencePath, ct: ct));
        var currentScan = await InputFile.ReadAsync(CurrentRole, currentPath, () => DatasetScanner.ScanAsync(currentPath, ct: ct));
        var pairs = Choose(referenceScan, currentScan, names);
        var reference = await InputFile.ReadAsync(ReferenceRole, referencePath,
            () => ReadColumnsAsync(referencePath, referenceScan, pairs, p => p.Reference, ct));
        var current = await InputFile.ReadAsync(CurrentRole, currentPath,
            () => ReadColumnsAsync(currentPath, currentScan, pairs, p => p.Current, ct));
        return (reference, current);
    }

    private sealed record Pair(ScannedColumn Reference, ScannedColumn Current)
    {
        public bool Numerical => Reference.InferredType == ColumnType.Numerical;
        public bool Boolean => Reference.InferredType == ColumnType.Boolean;
    }

    private static List<Pair> Choose(DatasetScan reference, DatasetScan current, IReadOnlyList<string>? names)
    {
        if (names is null)
        {
            List<Pair> shared = [.. reference.Columns
                .Where(c => c.InferredType != ColumnType.DateTime)
                .Select(c => Find(current, c.Name) is { } match ? new Pair(c, match) : null)
                .OfType<Pair>()];
            return shared.Count > 0 ? shared : throw new CliInputException("the files have no numerical or categorical column in common");
        }
        return [.. names.Select(name =>
        {
            var r = Find(reference, name) ?? throw new CliInputException($"column '{name}' is not in the reference file");
            var c = Find(current, name) ?? throw new CliInputException($"column '{name}' is not in the current file");
            return r.InferredType != ColumnType.DateTime ? new Pair(r, c)
                : throw new CliInputException($"column '{r.Name}' holds dates; drift compares numerical and categorical columns");
        }).DistinctBy(p => p.Reference.Ordinal)];
    }

    private static ScannedColumn? Find(DatasetScan scan, string name) =>
        scan.Columns.FirstOrDefault(c => string.Equals(c.Name, name, StringComparison.OrdinalIgnoreCase));

    private static async Task<DriftColumnInput[]> ReadColumnsAsync(
        string path, DatasetScan scan, List<Pair> pairs, Func<Pair, ScannedColumn> side, CancellationToken ct)
    {
        if (scan.RowCount > Array.MaxLength)
            throw new CliInputException($"'{path}' has {scan.RowCount:N0} rows, more than one array can hold");
        var rows = (int)scan.RowCount;
        var requests = pairs.Select(p => new ColumnRequest(side(p).Ordinal, p.Numerical ? ColumnReadAs.Number : ColumnReadAs.Text)).ToArray();
        var numbers = pairs.Select(p => p.Numerical ? new double[rows] : null).ToArray();
        var texts = pairs.Select(p => p.Numerical ? null : new string?[rows]).ToArray();

        using var reader = await TabularReader.OpenAsync(path, scan.Format, ct: ct);
        var batch = new TabularBatch(requests, BatchRows);
        var filled = 0;
        while (await reader.ReadAsync(batch, ct))
        {
            if (filled + batch.Count > rows)
                throw new DataFormatException("The file changed while it was read.");
            for (var k = 0; k < pairs.Count; k++)
            {
                if (numbers[k] is { } target)
                    batch.Numbers(k).AsSpan(0, batch.Count).CopyTo(target.AsSpan(filled));
                else
                    CopyCategories(batch.Texts(k).AsSpan(0, batch.Count), texts[k].AsSpan(filled), pairs[k].Boolean);
            }
            filled += batch.Count;
        }
        if (filled != rows)
            throw new DataFormatException("The file changed while it was read.");
        return [.. pairs.Select((p, k) => numbers[k] is { } values
            ? DriftColumnInput.Numerical(p.Reference.Name, values)
            : DriftColumnInput.Categorical(p.Reference.Name, texts[k]!))];
    }

    /// <summary>Boolean columns compare by value, so "TRUE" in one file and "true" (or Parquet's "True") in the other agree.</summary>
    private static void CopyCategories(ReadOnlySpan<string?> source, Span<string?> target, bool boolean)
    {
        for (var i = 0; i < source.Length; i++)
        {
            var value = source[i];
            target[i] = !boolean ? value
                : string.Equals(value, "true", StringComparison.OrdinalIgnoreCase) ? "true"
                : string.Equals(value, "false", StringComparison.OrdinalIgnoreCase) ? "false"
                : value;
        }
    }
}
