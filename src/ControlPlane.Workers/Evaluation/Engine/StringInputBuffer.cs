using ControlPlane.Domain.Datasets.Reading;
using Microsoft.ML.OnnxRuntime;

namespace ControlPlane.Workers.Evaluation.Engine;

/// <summary>
/// A string input: ONNX Runtime owns string tensors, so cells are copied in (as UTF-8) and a full-batch tensor is
/// overwritten in place from batch to batch. A missing cell is fed as "" (what scikit-learn and ML.NET encoders treat
/// as an unseen category) and counted.
/// </summary>
internal sealed class StringInputBuffer(InputBinding binding, int capacity) : IInputBuffer
{
    private readonly OrtValue _full = OrtValue.CreateTensorWithEmptyStrings(OrtAllocator.DefaultInstance, binding.Shape(capacity));
    private OrtValue? _partial;

    public OrtValue Value => _partial ?? _full;
    public long[] Missing { get; } = new long[binding.Width];

    public void Fill(TabularBatch batch)
    {
        var rows = batch.Count;
        _partial?.Dispose();
        _partial = rows == capacity ? null : OrtValue.CreateTensorWithEmptyStrings(OrtAllocator.DefaultInstance, binding.Shape(rows));
        for (var column = 0; column < binding.Width; column++)
        {
            var texts = batch.Texts(binding.Requests[column]);
            for (var i = 0; i < rows; i++)
            {
                var text = texts[i];
                if (text is null)
                    Missing[column]++;
                Value.StringTensorSetElementAt((text ?? "").AsSpan(), i * binding.Width + column);
            }
        }
    }

    public void Dispose()
    {
        _partial?.Dispose();
        _full.Dispose();
    }
}
