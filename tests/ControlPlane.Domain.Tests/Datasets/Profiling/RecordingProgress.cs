namespace ControlPlane.Domain.Tests.Datasets.Profiling;

/// <summary>Records reports synchronously (Progress&lt;T&gt; posts them later, on the thread pool).</summary>
internal sealed class RecordingProgress(Action<double>? onReport = null) : IProgress<double>
{
    public List<double> Values { get; } = [];

    public void Report(double value)
    {
        Values.Add(value);
        onReport?.Invoke(value);
    }
}
