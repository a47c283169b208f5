using System.Globalization;
using System.Text;
using Microsoft.ML.OnnxRuntime;
using Microsoft.ML.OnnxRuntime.Tensors;

namespace ControlPlane.Workers.Evaluation.Engine;

/// <summary>
/// Turns one batch's outputs into a <see cref="PredictionBatch"/>: probabilities in class order (a single column p
/// becomes [1 - p, p]), predicted classes from the label output (else the most probable class, the first on a tie),
/// the positive-class score of a binary model, or regression values.
/// </summary>
internal sealed class OutputDecoder
{
    private readonly OutputPlan _plan;
    private readonly ZipMapReader? _maps;
    private readonly int _probabilities, _label, _value;
    private readonly TensorElementType _probabilityType, _labelType, _valueType;
    private char[] _chars = new char[64];

    public OutputDecoder(OutputPlan plan, IReadOnlyDictionary<string, NodeMetadata> outputs)
    {
        _plan = plan;
        _maps = plan.ProbabilitiesAreMaps ? new ZipMapReader(plan.Classes!) : null;
        (_probabilities, _probabilityType) = Locate(plan.Probabilities);
        (_label, _labelType) = Locate(plan.Label);
        (_value, _valueType) = Locate(plan.Value);

        (int, TensorElementType) Locate(string? name) => name is null ? (-1, default)
            : (Array.IndexOf(plan.OutputNames, name), outputs[name].IsTensor ? outputs[name].ElementDataType : default);
    }

    public void Decode(IReadOnlyList<OrtValue> outputs, PredictionBatch batch)
    {
        var rows = batch.Count;
        if (_plan.Kind == PredictionKind.Regression)
        {
            CopyReals(outputs[_value], _valueType, _plan.Value!, batch.PredictedValueBuffer[..rows]);
            return;
        }
        var width = _plan.Classes!.Count;
        var probabilities = batch.ProbabilityBuffer[..(_probabilities >= 0 ? rows * width : 0)];
        var positive = batch.PositiveScoreBuffer[..(width == 2 ? rows : 0)];
        if (_probabilities >= 0)
            ReadProbabilities(outputs[_probabilities], rows, width, probabilities, positive);
        if (_value >= 0)
            CopyReals(outputs[_value], _valueType, _plan.Value!, positive);
        else if (width == 2)
            for (var i = 0; i < rows; i++)
                positive[i] = probabilities[2 * i + ClassLabels.PositiveIndex];
        if (_label >= 0)
            ReadLabels(outputs[_label], batch);
        else
            ArgMax(probabilities, width, batch.PredictedClassBuffer[..rows]);
    }

    private void ReadProbabilities(OrtValue output, int rows, int width, Span<float> target, Span<float> positive)
    {
        if (_maps is not null)
        {
            _maps.Read(output, rows, target);
            return;
        }
        var name = _plan.Probabilities!;
        if (width == 2 && Count(output, _probabilityType) == rows)
        {
            // One column: the positive class's probability.
            CopyReals(output, _probabilityType, name, positive);
            for (var i = 0; i < rows; i++)
                (target[2 * i], target[2 * i + 1]) = (1 - positive[i], positive[i]);
            return;
        }
        CopyReals(output, _probabilityType, name, target);
    }

    private static void CopyReals(OrtValue output, TensorElementType type, string name, Span<float> target)
    {
        if (type == TensorElementType.Double)
        {
            var values = output.GetTensorDataAsSpan<double>();
            CheckCount(values.Length, target.Length, name);
            for (var i = 0; i < target.Length; i++)
                target[i] = (float)values[i];
        }
        else
        {
            var values = output.GetTensorDataAsSpan<float>();
            CheckCount(values.Length, target.Length, name);
            values.CopyTo(target);
        }
    }

    private void ReadLabels(OrtValue output, PredictionBatch batch)
    {
        var classes = _plan.Classes!;
        var target = batch.PredictedClassBuffer[..batch.Count];
        CheckCount(Count(output, _labelType), target.Length, _plan.Label!);
        switch (_labelType)
        {
            case TensorElementType.Int64:
                var longs = output.GetTensorDataAsSpan<long>();
                for (var i = 0; i < target.Length; i++)
                    if (!classes.TryMatch(longs[i], out target[i]))
                        throw Unknown(output, batch, i);
                break;
            case TensorElementType.Int32:
                var ints = output.GetTensorDataAsSpan<int>();
                for (var i = 0; i < target.Length; i++)
                    if (!classes.TryMatch(ints[i], out target[i]))
                        throw Unknown(output, batch, i);
                break;
            case TensorElementType.Bool:
                var flags = output.GetTensorDataAsSpan<bool>();
                for (var i = 0; i < target.Length; i++)
                    if (!classes.TryMatch(flags[i] ? 1 : 0, out target[i]))
                        throw Unknown(output, batch, i);
                break;
            default:
                for (var i = 0; i < target.Length; i++)
                    if (!classes.TryMatch(Utf16(output.GetStringElementAsSpan(i)), out target[i]))
                        throw Unknown(output, batch, i);
                break;
        }
    }

    private EvaluationInputException Unknown(OrtValue output, PredictionBatch batch, int i) =>
        new($"The model predicted '{LabelText(output, i)}' for data row {batch.FirstRow + i + 1}, which is not one of its classes ({_plan.Classes}).");

    private ReadOnlySpan<char> Utf16(ReadOnlySpan<byte> utf8)
    {
        if (_chars.Length < utf8.Length)
            _chars = new char[utf8.Length];
        return _chars.AsSpan(0, Encoding.UTF8.GetChars(utf8, _chars));
    }

    private string LabelText(OrtValue output, int i) => _labelType switch
    {
        TensorElementType.Int64 => output.GetTensorDataAsSpan<long>()[i].ToString(CultureInfo.InvariantCulture),
        TensorElementType.Int32 => output.GetTensorDataAsSpan<int>()[i].ToString(CultureInfo.InvariantCulture),
        TensorElementType.Bool => output.GetTensorDataAsSpan<bool>()[i] ? "true" : "false",
        _ => output.GetStringElement(i),
    };

    private static void ArgMax(ReadOnlySpan<float> probabilities, int classes, Span<int> target)
    {
        for (var i = 0; i < target.Length; i++)
        {
            var row = probabilities.Slice(i * classes, classes);
            var best = 0;
            for (var c = 1; c < classes; c++)
                if (row[c] > row[best])
                    best = c;
            target[i] = best;
        }
    }

    private static long Count(OrtValue output, TensorElementType type) => type switch
    {
        TensorElementType.Float => output.GetTensorDataAsSpan<float>().Length,
        TensorElementType.Double => output.GetTensorDataAsSpan<double>().Length,
        TensorElementType.Int64 => output.GetTensorDataAsSpan<long>().Length,
        TensorElementType.Int32 => output.GetTensorDataAsSpan<int>().Length,
        TensorElementType.Bool => output.GetTensorDataAsSpan<bool>().Length,
        _ => output.GetTensorTypeAndShape().ElementCount,
    };

    private static void CheckCount(long actual, long expected, string output)
    {
        if (actual != expected)
            throw new EvaluationInputException($"Output '{output}' gave {actual} values for this batch where {expected} were expected.");
    }
}
