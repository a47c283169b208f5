using ControlPlane.Domain.Datasets.Reading;
using Microsoft.ML.OnnxRuntime;

namespace ControlPlane.Workers.Evaluation.Engine;

/// <summary>Memory for one model input in one pipeline slot, reused from batch to batch.</summary>
internal interface IInputBuffer : IDisposable
{
    /// <summary>Packs the batch's rows; throws <see cref="EvaluationInputException"/> for a value the input cannot take.</summary>
    void Fill(TabularBatch batch);

    /// <summary>The tensor over the rows filled last.</summary>
    OrtValue Value { get; }

    /// <summary>Missing values fed so far, per column of the binding (NaN for float and double, "" for strings).</summary>
    long[] Missing { get; }
}
