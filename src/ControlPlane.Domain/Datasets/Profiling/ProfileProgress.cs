namespace ControlPlane.Domain.Datasets.Profiling;

/// <summary>
/// One progress figure in [0, 1] that never goes back. Whether a second pass is needed is learned part-way through
/// the first (when a column outgrows the memory budget); from then on the rest of the first pass and the whole second
/// pass share what was left, half each.
/// </summary>
internal sealed class ProfileProgress(IProgress<double>? sink)
{
    private double _secondPassFrom = double.NaN;
    private double _reported;

    public void FirstPass(double fraction, bool secondPassNeeded)
    {
        if (secondPassNeeded && double.IsNaN(_secondPassFrom))
            _secondPassFrom = _reported;
        Report(double.IsNaN(_secondPassFrom) ? fraction : _secondPassFrom + (fraction - _secondPassFrom) / 2);
    }

    public void SecondPass(double fraction) =>
        Report((1 + _secondPassFrom) / 2 + fraction * (1 - _secondPassFrom) / 2);

    public void Done() => Report(1);

    private void Report(double value)
    {
        _reported = Math.Clamp(value, _reported, 1);
        sink?.Report(_reported);
    }
}
