namespace ControlPlane.Workers.Drift.Statistics;

/// <summary>
/// Compares a reference dataset with a current one, column by column (in parallel), and judges dataset drift by
/// the share of drifted columns. Pure computation: no I/O, no shared state.
/// </summary>
public static class DriftEngine
{
    /// <param name="reference">The columns to judge, in the order results come back.</param>
    /// <param name="current">Must hold every reference column, by name and of the same kind; other columns are ignored.</param>
    public static DatasetDriftResult Compare(IReadOnlyList<DriftColumnInput> reference, IReadOnlyList<DriftColumnInput> current, DriftOptions? options = null) =>
        Judge(CompareColumns(reference, current, options), options);

    /// <summary>
    /// Each column's tests without what spans columns (Benjamini–Hochberg, the dataset verdict): for callers that
    /// compare a wide dataset a group of columns at a time, then <see cref="Judge"/> all the results together.
    /// </summary>
    public static IReadOnlyList<ColumnDriftResult> CompareColumns(IReadOnlyList<DriftColumnInput> reference, IReadOnlyList<DriftColumnInput> current, DriftOptions? options = null)
    {
        options ??= DriftOptions.Default;
        var currentByName = new Dictionary<string, DriftColumnInput>(StringComparer.Ordinal);
        foreach (var column in current)
            if (!currentByName.TryAdd(column.Name, column))
                throw new ArgumentException($"Current data names column '{column.Name}' twice.", nameof(current));
        var pairs = reference.Select(r => (Reference: r, Current: Counterpart(r, currentByName))).ToArray();
        if (pairs.Select(p => p.Reference.Name).Distinct(StringComparer.Ordinal).Count() != pairs.Length)
            throw new ArgumentException("Reference data names a column twice.", nameof(reference));
        foreach (var (name, settings) in options.Columns)
            if (settings.Method is { } method && DriftMethods.NeedsNumbers(method)
                && pairs.Any(p => p.Reference.Name == name && p.Reference.Kind == DriftColumnKind.Categorical))
                throw new ArgumentException($"Column '{name}' is categorical; {method} needs numbers.", nameof(options));

        // Inputs sort their arrays in place; every input whose array another input also holds sorts a copy instead.
        var inputs = pairs.SelectMany(p => new[] { p.Reference, p.Current }).Distinct().Where(i => i.RawValues is not null).ToList();
        foreach (var group in inputs.GroupBy(i => i.RawValues!, ReferenceEqualityComparer.Instance).Where(g => g.Count() > 1))
            foreach (var input in group)
                input.MarkShared();

        var columns = new ColumnDriftResult[pairs.Length];
        Parallel.For(0, pairs.Length, k =>
        {
            var (r, c) = pairs[k];
            columns[k] = r.Kind == DriftColumnKind.Numerical
                ? ColumnComparison.Numerical(r.Name, r.ToSorted(), c.ToSorted(), options)
                : ColumnComparison.Categorical(r.Name, r.ToCounted(), c.ToCounted(), options);
        });
        return columns;
    }

    /// <summary>Corrects p-values across every column when asked to, then judges dataset drift by the share of drifted columns.</summary>
    public static DatasetDriftResult Judge(IReadOnlyList<ColumnDriftResult> columnResults, DriftOptions? options = null)
    {
        options ??= DriftOptions.Default;
        var columns = columnResults.ToArray();
        if (options.BenjaminiHochberg)
            AdjustPValues(columns);
        var judged = columns.Count(c => c.Status != DriftStatus.InsufficientData);
        var share = judged == 0 ? 0 : (double)columns.Count(c => c.Drifted) / judged;
        return new DatasetDriftResult(judged > 0 && share >= options.DriftShareThreshold, share, columns);
    }

    private static DriftColumnInput Counterpart(DriftColumnInput reference, Dictionary<string, DriftColumnInput> current)
    {
        if (!current.TryGetValue(reference.Name, out var match))
            throw new ArgumentException($"Current data has no column '{reference.Name}'.", nameof(current));
        if (match.Kind != reference.Kind)
            throw new ArgumentException($"Column '{reference.Name}' is {reference.Kind} in the reference but {match.Kind} in the current data.", nameof(current));
        return match;
    }

    /// <summary>Every p-value of the run is one family; verdicts of p-value tests then use the adjusted values.</summary>
    private static void AdjustPValues(ColumnDriftResult[] columns)
    {
        var found = new List<(int Column, int Test)>();
        for (var c = 0; c < columns.Length; c++)
            for (var t = 0; t < columns[c].Tests.Count; t++)
                if (columns[c].Tests[t].PValue is not null)
                    found.Add((c, t));
        var adjusted = BenjaminiHochberg.Adjust(found.Select(f => columns[f.Column].Tests[f.Test].PValue!.Value).ToArray());

        var tests = columns.Select(c => c.Tests.ToArray()).ToArray();
        for (var k = 0; k < found.Count; k++)
        {
            var (c, t) = found[k];
            var test = tests[c][t];
            tests[c][t] = test with
            {
                AdjustedPValue = adjusted[k],
                Drifted = DriftMethods.IsDrift(test.Method, adjusted[k], test.Threshold),
            };
        }
        for (var c = 0; c < columns.Length; c++)
        {
            if (tests[c].Length == 0)
                continue;
            var drifted = tests[c][0].Drifted;
            columns[c] = columns[c] with { Tests = tests[c], Drifted = drifted, Status = drifted ? DriftStatus.Drifted : DriftStatus.Ok };
        }
    }
}
