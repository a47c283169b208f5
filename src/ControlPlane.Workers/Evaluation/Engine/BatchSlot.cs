using ControlPlane.Domain.Datasets.Reading;
using Microsoft.ML.OnnxRuntime;

namespace ControlPlane.Workers.Evaluation.Engine;

/// <summary>
/// Everything one batch needs between reading and inference: the rows as read, the input tensors packed from them and
/// the true labels. Slots circulate between the reading task and the inference loop and are reused.
/// </summary>
internal sealed class BatchSlot : IDisposable
{
    private readonly IInputBuffer[] _inputs;

    public BatchSlot(ColumnRequest[] requests, InputPlan inputs, int capacity)
    {
        Rows = new TabularBatch(requests, capacity);
        _inputs = [.. inputs.Bindings.Select(b => b.CreateBuffer(capacity))];
        Values = new OrtValue[_inputs.Length];
        TrueClasses = new int[capacity];
        TrueValues = new double[capacity];
    }

    public TabularBatch Rows { get; }

    /// <summary>The input tensors, in <see cref="InputPlan.InputNames"/> order, over the rows packed last.</summary>
    public OrtValue[] Values { get; }

    public int[] TrueClasses { get; }
    public double[] TrueValues { get; }

    /// <summary>The reader's progress once these rows were read.</summary>
    public double Progress { get; set; }

    public void Pack(TrueLabels labels)
    {
        for (var i = 0; i < _inputs.Length; i++)
        {
            _inputs[i].Fill(Rows);
            Values[i] = _inputs[i].Value;
        }
        labels.Fill(Rows, TrueClasses, TrueValues);
    }

    public long[] Missing(int input) => _inputs[input].Missing;

    public void Dispose()
    {
        foreach (var input in _inputs)
            input.Dispose();
    }
}
