using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using ControlPlane.Domain.Datasets.Reading;
using Microsoft.ML.OnnxRuntime;

namespace ControlPlane.Workers.Evaluation.Engine;

/// <summary>
/// A pinned array the input tensor reads in place. A full batch reuses one OrtValue; a shorter (last) batch gets its own
/// over the front of the array. Missing values: float and double pass NaN through (tree models route it) and count
/// it; int64, int32 and bool inputs cannot hold one, so the row is refused, as is a fraction for an integer input.
/// </summary>
internal sealed class NumericInputBuffer<T> : IInputBuffer where T : unmanaged
{
    private readonly InputBinding _binding;
    private readonly T[] _data;
    private readonly OrtValue _full;
    private readonly int _capacity;
    private OrtValue? _partial;

    public NumericInputBuffer(InputBinding binding, int capacity)
    {
        _binding = binding;
        _capacity = capacity;
        _data = GC.AllocateArray<T>(capacity * binding.Width, pinned: true);
        _full = OrtValue.CreateTensorValueFromMemory(OrtMemoryInfo.DefaultInstance, _data.AsMemory(), binding.Shape(capacity));
        Value = _full;
        Missing = new long[binding.Width];
    }

    public OrtValue Value { get; private set; }
    public long[] Missing { get; }

    public void Fill(TabularBatch batch)
    {
        var rows = batch.Count;
        var width = _binding.Width;
        for (var column = 0; column < width; column++)
        {
            var values = batch.Numbers(_binding.Requests[column]).AsSpan(0, rows);
            if (typeof(T) == typeof(float))
                Missing[column] += PackFloats(values, MemoryMarshal.Cast<T, float>(_data.AsSpan()), column, width);
            else if (typeof(T) == typeof(double))
                Missing[column] += PackDoubles(values, MemoryMarshal.Cast<T, double>(_data.AsSpan()), column, width);
            else
                PackExact(values, column, width, batch.FirstRow);
        }
        if (rows == _capacity)
            Value = _full;
        else
        {
            _partial?.Dispose();
            _partial = OrtValue.CreateTensorValueFromMemory(OrtMemoryInfo.DefaultInstance, _data.AsMemory(0, rows * width), _binding.Shape(rows));
            Value = _partial;
        }
    }

    private static long PackFloats(ReadOnlySpan<double> values, Span<float> target, int column, int width)
    {
        long missing = 0;
        for (int i = 0, at = column; i < values.Length; i++, at += width)
        {
            var value = values[i];
            if (double.IsNaN(value))
                missing++;
            target[at] = (float)value;
        }
        return missing;
    }

    private static long PackDoubles(ReadOnlySpan<double> values, Span<double> target, int column, int width)
    {
        long missing = 0;
        for (int i = 0, at = column; i < values.Length; i++, at += width)
        {
            var value = values[i];
            if (double.IsNaN(value))
                missing++;
            target[at] = value;
        }
        return missing;
    }

    private void PackExact(ReadOnlySpan<double> values, int column, int width, long firstRow)
    {
        for (int i = 0, at = column; i < values.Length; i++, at += width)
        {
            var value = values[i];
            if (double.IsNaN(value))
                throw Refused(column, firstRow + i, $"is missing, and input '{_binding.Input}' ({typeof(T).Name}) cannot take a missing value");
            if (typeof(T) == typeof(bool))
            {
                var flag = value != 0;
                _data[at] = Unsafe.As<bool, T>(ref flag);
                continue;
            }
            var limit = typeof(T) == typeof(int) ? int.MaxValue : 9.2e18;
            if (value != Math.Floor(value) || Math.Abs(value) > limit)
                throw Refused(column, firstRow + i, $"is {value}, and input '{_binding.Input}' ({typeof(T).Name}) takes whole numbers");
            if (typeof(T) == typeof(long))
            {
                var whole = (long)value;
                _data[at] = Unsafe.As<long, T>(ref whole);
            }
            else
            {
                var whole = (int)value;
                _data[at] = Unsafe.As<int, T>(ref whole);
            }
        }
    }

    private EvaluationInputException Refused(int column, long row, string what) =>
        new($"Column '{_binding.Columns[column]}' at data row {row + 1} {what}.");

    public void Dispose()
    {
        _partial?.Dispose();
        _full.Dispose();
    }
}
