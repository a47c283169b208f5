namespace ControlPlane.Workers.Drift.Statistics;

/// <summary>
/// Population Stability Index: Σ (cur − ref)·ln(cur/ref) over bin shares, each share raised to at least 1e-4 so an
/// empty bin on one side stays finite.
/// </summary>
internal static class Psi
{
    public const double ShareFloor = 1e-4;

    public static double Compute(Binned bins)
    {
        var terms = new double[bins.Count];
        for (var k = 0; k < terms.Length; k++)
        {
            var reference = Math.Max((double)bins.Reference[k] / bins.ReferenceTotal, ShareFloor);
            var current = Math.Max((double)bins.Current[k] / bins.CurrentTotal, ShareFloor);
            terms[k] = (current - reference) * Math.Log(current / reference);
        }
        return NumpySum.Sum(terms);
    }
}
