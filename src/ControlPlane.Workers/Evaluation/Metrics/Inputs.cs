namespace ControlPlane.Workers.Evaluation.Metrics;

/// <summary>Input checks shared by the metrics and their accumulators; a bad row fails with its position.</summary>
internal static class Inputs
{
    public static void SameLength(int expected, int actual, string name)
    {
        if (actual != expected)
            throw new ArgumentException($"{name} has {actual} rows, expected {expected}.", name);
    }

    public static void BinaryLabels(ReadOnlySpan<byte> labels, string name)
    {
        for (var i = 0; i < labels.Length; i++)
        {
            if (labels[i] > 1)
                throw new ArgumentException($"Row {i} has label {labels[i]}; binary labels are 0 or 1.", name);
        }
    }

    public static void Finite(ReadOnlySpan<double> values, string name)
    {
        for (var i = 0; i < values.Length; i++)
        {
            if (!double.IsFinite(values[i]))
                throw new ArgumentException($"Row {i} has the value {values[i]}; values must be finite numbers.", name);
        }
    }

    public static void Finite(ReadOnlySpan<float> values, string name)
    {
        for (var i = 0; i < values.Length; i++)
        {
            if (!float.IsFinite(values[i]))
                throw new ArgumentException($"Value {i} is {values[i]}; values must be finite numbers.", name);
        }
    }

    public static void Finite(double value, string name)
    {
        if (!double.IsFinite(value))
            throw new ArgumentException($"{name} must be a finite number, not {value}.", name);
    }
}
