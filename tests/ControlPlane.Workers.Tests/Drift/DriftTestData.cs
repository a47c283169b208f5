using ControlPlane.Workers.Drift.Statistics;

namespace ControlPlane.Workers.Tests.Drift;

/// <summary>
/// Deterministic data that numpy reproduces exactly, and one-column comparisons through the engine.
/// G(i) = ((i·7919) mod 10007)/10007, in numpy: <c>def g(i): return ((np.asarray(i) * 7919) % 10007) / 10007.0</c>.
/// </summary>
internal static class DriftTestData
{
    public static double G(long i) => i * 7919 % 10007 / 10007.0;

    /// <summary>G(i) for i in [from, to), times scale, plus shift (numpy: g(np.arange(from, to)) * scale + shift).</summary>
    public static double[] Range(int from, int to, double scale = 1.0, double shift = 0.0) =>
        Enumerable.Range(from, to - from).Select(i => G(i) * scale + shift).ToArray();

    /// <summary>One numerical column through <see cref="DriftEngine"/>, with no minimum size.</summary>
    public static ColumnDriftResult Numerical(double[] reference, double[] current, DriftMethod method, params DriftMethod[] alsoReport) =>
        Single(DriftColumnInput.Numerical("x", reference), DriftColumnInput.Numerical("x", current), method, alsoReport);

    public static ColumnDriftResult Categorical(string?[] reference, string?[] current, DriftMethod method, params DriftMethod[] alsoReport) =>
        Single(DriftColumnInput.Categorical("x", reference), DriftColumnInput.Categorical("x", current), method, alsoReport);

    public static DriftTestResult Test(this ColumnDriftResult column, DriftMethod method) =>
        Assert.Single(column.Tests, t => t.Method == method);

    public static string?[] Repeat(params (string? Value, int Count)[] runs) =>
        runs.SelectMany(r => Enumerable.Repeat(r.Value, r.Count)).ToArray();

    public static double[] Repeat(params (double Value, int Count)[] runs) =>
        runs.SelectMany(r => Enumerable.Repeat(r.Value, r.Count)).ToArray();

    private static ColumnDriftResult Single(DriftColumnInput reference, DriftColumnInput current, DriftMethod method, DriftMethod[] alsoReport)
    {
        var options = new DriftOptions
        {
            MinimumValues = 1,
            Columns = new Dictionary<string, ColumnDriftSettings> { ["x"] = new(method, AlsoReport: alsoReport) },
        };
        return Assert.Single(DriftEngine.Compare([reference], [current], options).Columns);
    }
}
