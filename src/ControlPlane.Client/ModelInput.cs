namespace ControlPlane.Client;

/// <summary>A float tensor fed to the model input <paramref name="Name"/>; <paramref name="Data"/> is row-major and is read, not kept.</summary>
public readonly record struct ModelInput(string Name, float[] Data, long[] Shape);

/// <summary>One output tensor of a prediction, copied out of ONNX Runtime (float, double, int64, int32, bool or string elements).</summary>
public sealed class ModelOutput(string name, long[] shape, Array values)
{
    public string Name { get; } = name;
    public long[] Shape { get; } = shape;
    public Array Values { get; } = values;

    public float[] Floats => Values as float[] ?? throw new InvalidOperationException($"Output '{Name}' holds {Values.GetType().GetElementType()!.Name}, not float.");
    public long[] Longs => Values as long[] ?? throw new InvalidOperationException($"Output '{Name}' holds {Values.GetType().GetElementType()!.Name}, not long.");

    /// <summary>Rows of the first dimension (1 for a scalar).</summary>
    public int Rows => Shape.Length == 0 ? 1 : (int)Shape[0];
}
