using Microsoft.ML.OnnxRuntime.Tensors;

namespace ControlPlane.Workers.Evaluation.Engine;

/// <summary>
/// One model input and the dataset columns that fill it: <see cref="Columns"/> values per row, packed row-major into a
/// [N, Columns] tensor, or [N] when the input is 1-D. <see cref="Requests"/> index the columns in the read batch.
/// </summary>
internal sealed record InputBinding(string Input, TensorElementType ElementType, bool OneDimensional, IReadOnlyList<string> Columns, int[] Requests)
{
    public int Width => Columns.Count;

    public long[] Shape(int rows) => OneDimensional ? [rows] : [rows, Width];

    public IInputBuffer CreateBuffer(int capacity) => ElementType switch
    {
        TensorElementType.Float => new NumericInputBuffer<float>(this, capacity),
        TensorElementType.Double => new NumericInputBuffer<double>(this, capacity),
        TensorElementType.Int64 => new NumericInputBuffer<long>(this, capacity),
        TensorElementType.Int32 => new NumericInputBuffer<int>(this, capacity),
        TensorElementType.Bool => new NumericInputBuffer<bool>(this, capacity),
        TensorElementType.String => new StringInputBuffer(this, capacity),
        _ => throw new InvalidOperationException($"No buffer for {ElementType}."),
    };
}
