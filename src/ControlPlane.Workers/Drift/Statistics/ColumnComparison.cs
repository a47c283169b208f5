namespace ControlPlane.Workers.Drift.Statistics;

/// <summary>One column, reference against current: missing shares, the deciding test and any extra ones, chart bins.</summary>
internal static class ColumnComparison
{
    // Wasserstein is normalized by the reference std, but never by less than this (constant columns).
    public const double MinimumScale = 0.001;

    public static ColumnDriftResult Numerical(string name, SortedSample reference, SortedSample current, DriftOptions options)
    {
        var refValues = reference.Values.Span;
        var curValues = current.Values.Span;
        var asCategories = reference.DistinctCount <= SortedSample.CategoricalDistinctLimit;

        Binned? binned = null;
        List<DriftHistogram> histograms = [];
        if (reference.Count > 0 && current.Count > 0)
        {
            if (asCategories)
            {
                binned = Binned.ByValue(refValues, curValues);
                histograms.Add(Histograms.TopCategories(Histograms.Values(refValues, curValues, binned), options.MaxHistogramCategories));
            }
            else
            {
                var edges = Deciles.Edges(refValues);
                binned = Binned.ByEdges(refValues, curValues, edges);
                histograms.Add(Histograms.Deciles(edges, binned));
                histograms.Add(Histograms.EqualWidth(refValues, curValues));
            }
        }

        var shell = new ColumnDriftResult(name, DriftColumnKind.Numerical, reference.Count, current.Count,
            reference.MissingShare, current.MissingShare, [], DriftStatus.InsufficientData, false, histograms);
        if (reference.Count < options.MinimumValues || current.Count < options.MinimumValues || binned is null)
            return shell;

        var methods = Methods(name, DriftColumnKind.Numerical, asCategories, reference.Count, options, out var thresholds);
        EcdfComparison? ecdf = null;
        var tests = new DriftTestResult[methods.Count];
        for (var k = 0; k < tests.Length; k++)
        {
            if (DriftMethods.NeedsNumbers(methods[k]))
                ecdf ??= EcdfComparison.Compute(refValues, curValues);
            tests[k] = methods[k] switch
            {
                DriftMethod.KolmogorovSmirnov => KolmogorovSmirnovResult(reference.Count, current.Count, ecdf!.Value, thresholds[k]),
                DriftMethod.Wasserstein => WassersteinResult(ecdf!.Value.Wasserstein, reference.StandardDeviation, thresholds[k]),
                _ => BinnedResult(methods[k], binned, thresholds[k]),
            };
        }
        return WithBlindTestWarnings(Judged(shell, tests), binned);
    }

    public static ColumnDriftResult Categorical(string name, CategorySample reference, CategorySample current, DriftOptions options)
    {
        var categories = reference.Counts.Keys.Union(current.Counts.Keys).Order(StringComparer.Ordinal).ToArray();
        var binned = new Binned(
            categories.Select(c => (long)reference.Counts.GetValueOrDefault(c)).ToArray(),
            categories.Select(c => (long)current.Counts.GetValueOrDefault(c)).ToArray());
        List<DriftHistogram> histograms = reference.Count > 0 && current.Count > 0
            ? [Histograms.TopCategories(Histograms.Categories(categories, binned), options.MaxHistogramCategories)]
            : [];

        var shell = new ColumnDriftResult(name, DriftColumnKind.Categorical, reference.Count, current.Count,
            reference.MissingShare, current.MissingShare, [], DriftStatus.InsufficientData, false, histograms);
        if (reference.Count < options.MinimumValues || current.Count < options.MinimumValues || reference.Count == 0 || current.Count == 0)
            return shell;

        var methods = Methods(name, DriftColumnKind.Categorical, true, reference.Count, options, out var thresholds);
        return WithBlindTestWarnings(Judged(shell, methods.Select((method, k) => BinnedResult(method, binned, thresholds[k])).ToArray()), binned);
    }

    /// <summary>The deciding method first, then the extra ones that apply to this column, each once.</summary>
    private static List<DriftMethod> Methods(string name, DriftColumnKind kind, bool asCategories, int referenceCount,
        DriftOptions options, out List<double> thresholds)
    {
        var settings = options.Columns.GetValueOrDefault(name);
        var deciding = settings?.Method ?? DriftMethods.Default(asCategories, referenceCount, options.TestsUpToReference);

        List<DriftMethod> methods = [deciding];
        thresholds = [settings?.Threshold ?? options.ThresholdFor(deciding)];
        foreach (var extra in (settings?.AlsoReport ?? []).Concat(options.AlsoReport))
        {
            if (methods.Contains(extra) || (kind == DriftColumnKind.Categorical && DriftMethods.NeedsNumbers(extra)))
                continue;
            methods.Add(extra);
            thresholds.Add(options.ThresholdFor(extra));
        }
        return methods;
    }

    private static ColumnDriftResult Judged(ColumnDriftResult shell, DriftTestResult[] tests) =>
        shell with { Tests = tests, Status = tests[0].Drifted ? DriftStatus.Drifted : DriftStatus.Ok, Drifted = tests[0].Drifted };

    /// <summary>Warns about the reported binned tests that are blind on these counts.</summary>
    private static ColumnDriftResult WithBlindTestWarnings(ColumnDriftResult judged, Binned bins) =>
        judged with { Warnings = BlindTests.Find(bins, judged.Tests.Select(t => t.Method)) };

    private static DriftTestResult KolmogorovSmirnovResult(int n1, int n2, EcdfComparison ecdf, double threshold)
    {
        var (d, p) = KolmogorovSmirnov.Test(n1, n2, ecdf);
        return new(DriftMethod.KolmogorovSmirnov, d, null, p, null, threshold, DriftMethods.IsDrift(DriftMethod.KolmogorovSmirnov, p, threshold));
    }

    private static DriftTestResult WassersteinResult(double distance, double referenceStd, double threshold)
    {
        var normalized = distance / Math.Max(referenceStd, MinimumScale);
        return new(DriftMethod.Wasserstein, distance, normalized, null, null, threshold, DriftMethods.IsDrift(DriftMethod.Wasserstein, normalized, threshold));
    }

    private static DriftTestResult BinnedResult(DriftMethod method, Binned bins, double threshold)
    {
        if (method == DriftMethod.ChiSquare)
        {
            var (statistic, p) = ChiSquare.Test(bins);
            return new(method, statistic, null, p, null, threshold, DriftMethods.IsDrift(method, p, threshold));
        }
        var value = method == DriftMethod.Psi ? Psi.Compute(bins) : JensenShannon.Compute(bins);
        return new(method, value, null, null, null, threshold, DriftMethods.IsDrift(method, value, threshold));
    }
}
