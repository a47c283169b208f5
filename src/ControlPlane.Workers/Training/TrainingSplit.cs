namespace ControlPlane.Workers.Training;

/// <summary>
/// Seeded, stratified row splits: within each class (binary, multiclass) the rows are shuffled with the seed and dealt
/// out, so every part keeps the class shares and the same seed always gives the same parts. Rows stay in file order
/// within a part.
/// </summary>
internal static class TrainingSplit
{
    /// <summary>Rows for training and for validation; the validation share is taken from every class.</summary>
    public static (int[] Train, int[] Validation) Holdout(TrainingTable table, double fraction, int seed)
    {
        var (train, validation) = (new List<int>(), new List<int>());
        foreach (var stratum in Strata(table, seed))
        {
            var take = (int)Math.Round(stratum.Length * fraction, MidpointRounding.AwayFromZero);
            validation.AddRange(stratum.Take(take));
            train.AddRange(stratum.Skip(take));
        }
        return (Sorted(train), Sorted(validation));
    }

    /// <summary>For each fold, its training rows and its held-out rows.</summary>
    public static IReadOnlyList<(int[] Train, int[] Validation)> Folds(TrainingTable table, int folds, int seed)
    {
        var parts = Enumerable.Range(0, folds).Select(_ => new List<int>()).ToArray();
        var next = 0;
        foreach (var stratum in Strata(table, seed))
            foreach (var row in stratum)
                parts[next++ % folds].Add(row);
        return [.. Enumerable.Range(0, folds).Select(k => (Sorted(parts.Where((_, i) => i != k).SelectMany(p => p)), Sorted(parts[k])))];
    }

    private static IEnumerable<int[]> Strata(TrainingTable table, int seed)
    {
        var random = new Random(seed);
        var byClass = new SortedDictionary<string, List<int>>(StringComparer.Ordinal);
        for (var row = 0; row < table.RowCount; row++)
        {
            var key = table.Label.Stratum(row);
            if (!byClass.TryGetValue(key, out var rows))
                byClass[key] = rows = [];
            rows.Add(row);
        }
        foreach (var rows in byClass.Values)
        {
            var array = rows.ToArray();
            random.Shuffle(array);
            yield return array;
        }
    }

    private static int[] Sorted(IEnumerable<int> rows)
    {
        var array = rows.ToArray();
        Array.Sort(array);
        return array;
    }
}
