namespace ControlPlane.Workers.Evaluation.Importance;

/// <summary>Maps a step's progress in [0, 1] onto [from, to] of the run's progress.</summary>
internal sealed class ScaledProgress(IProgress<double> inner, double from, double to) : IProgress<double>
{
    public static IProgress<double>? Of(IProgress<double>? inner, double from, double to) => inner is null ? null : new ScaledProgress(inner, from, to);

    public void Report(double value) => inner.Report(from + (to - from) * value);
}
