using Microsoft.ML.OnnxRuntime;
using Microsoft.ML.OnnxRuntime.Tensors;

namespace ControlPlane.Workers.Evaluation.Engine;

/// <summary>
/// Decodes ZipMap output (a sequence with one {class: probability} map per row) into class-ordered rows. ONNX Runtime
/// sorts map keys, which need not be the model's class order, so the first map fixes the key-to-class order and every
/// later map is checked to have the same keys.
/// </summary>
internal sealed class ZipMapReader(ClassLabels classes)
{
    private int[]? _order;
    private long[]? _numberKeys;
    private byte[][]? _textKeys;

    public void Read(OrtValue sequence, int rows, Span<float> target)
    {
        var count = sequence.GetValueCount();
        if (count != rows)
            throw new EvaluationInputException($"The probability maps hold {count} rows for a batch of {rows}.");
        var allocator = OrtAllocator.DefaultInstance;
        var width = classes.Count;
        for (var row = 0; row < rows; row++)
        {
            using var map = sequence.GetValue(row, allocator);
            using var keys = map.GetValue(0, allocator);
            using var values = map.GetValue(1, allocator);
            var order = _order ?? Learn(keys);
            if (!SameKeys(keys))
                throw new EvaluationInputException($"The probability map of row {row + 1} of a batch has other classes than the first.");
            var probabilities = values.GetTensorDataAsSpan<float>();
            var line = target.Slice(row * width, width);
            for (var k = 0; k < order.Length; k++)
                line[order[k]] = probabilities[k];
        }
    }

    private int[] Learn(OrtValue keys)
    {
        var info = keys.GetTensorTypeAndShape();
        var order = new int[info.ElementCount];
        if (order.Length != classes.Count)
            throw new EvaluationInputException($"The probability maps have {order.Length} classes; the model names {classes.Count} ({classes}).");
        if (info.ElementDataType == TensorElementType.String)
        {
            _textKeys = new byte[order.Length][];
            for (var k = 0; k < order.Length; k++)
            {
                _textKeys[k] = keys.GetStringElementAsSpan(k).ToArray();
                order[k] = Match(keys.GetStringElement(k), classes.TryMatch(keys.GetStringElement(k).AsSpan(), out var index), index);
            }
        }
        else
        {
            _numberKeys = keys.GetTensorDataAsSpan<long>().ToArray();
            for (var k = 0; k < order.Length; k++)
                order[k] = Match(_numberKeys[k].ToString(System.Globalization.CultureInfo.InvariantCulture), classes.TryMatch(_numberKeys[k], out var index), index);
        }
        if (order.Distinct().Count() != order.Length)
            throw new EvaluationInputException("The probability maps name one class twice.");
        return _order = order;
    }

    private int Match(string key, bool found, int index) =>
        found ? index : throw new EvaluationInputException($"The probability maps have class '{key}', which is not one of the model's classes ({classes}).");

    private bool SameKeys(OrtValue keys)
    {
        if (_numberKeys is not null)
            return keys.GetTensorDataAsSpan<long>().SequenceEqual(_numberKeys);
        for (var k = 0; k < _textKeys!.Length; k++)
            if (!keys.GetStringElementAsSpan(k).SequenceEqual(_textKeys[k]))
                return false;
        return true;
    }
}
