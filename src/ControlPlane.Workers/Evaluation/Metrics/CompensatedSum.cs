namespace ControlPlane.Workers.Evaluation.Metrics;

/// <summary>
/// Neumaier's compensated sum. numpy sums pairwise; both stay within a few ulps of the exact sum, so results agree with
/// scikit-learn far inside 1e-12 whatever the row order or batch boundaries.
/// </summary>
internal struct CompensatedSum
{
    private double _sum;
    private double _compensation;

    public void Add(double value)
    {
        var total = _sum + value;
        _compensation += Math.Abs(_sum) >= Math.Abs(value) ? _sum - total + value : value - total + _sum;
        _sum = total;
    }

    public readonly double Value => _sum + _compensation;
}
