using System.Collections.Concurrent;
using Microsoft.ML.OnnxRuntime;
using Microsoft.ML.OnnxRuntime.Tensors;

namespace ControlPlane.Client;

/// <summary>
/// One loaded, warmed version. Reference counted: the handle holds one reference while the session is current and
/// each prediction holds one while it runs, so a swapped-out session is disposed when its last prediction ends.
/// </summary>
internal sealed class ServingSession
{
    private readonly InferenceSession _session;
    private readonly RunOptions _run = new();
    private readonly string[] _outputNames;
    private readonly TensorElementType[] _outputTypes;
    // Each output's shape for a one-row batch, read from the model once (null where more than the batch is dynamic):
    // asking ONNX Runtime for it per call costs native calls and allocations on the hot path.
    private readonly long[]?[] _rowOutputShapes;
    private readonly long[] _rowShape;
    // Input and output buffers bound to OrtValues once, for single rows: a row is copied in, ONNX Runtime writes the
    // outputs in place and they are copied out, so a call allocates no native tensor and no OrtValue. One set per
    // concurrent call (a bag, so a thread tends to get its own back); null where some output's row shape is not fixed
    // or holds strings (ONNX Runtime must allocate those).
    private readonly ConcurrentBag<RowBuffers>? _rowBuffers;
    private volatile bool _bindRows = true;
    private int _references = 1;

    private ServingSession(InferenceSession session, AliasTarget target)
    {
        _session = session;
        Target = target;
        var inputs = session.InputMetadata.ToList();
        foreach (var (name, meta) in inputs)
        {
            if (!meta.IsTensor || meta.ElementDataType != TensorElementType.Float)
                throw new UnservableModelException($"v{target.Version}: input '{name}' is {meta.OnnxValueType}/{meta.ElementDataType}; the client feeds float tensors only.");
        }
        InputNames = [.. inputs.Select(i => i.Key)];
        Dimensions = [.. inputs.Select(i => i.Value.Dimensions)];
        var outputs = session.OutputMetadata.Where(o => o.Value.IsTensor).ToList();
        _outputNames = [.. outputs.Select(o => o.Key)];
        _outputTypes = [.. outputs.Select(o => o.Value.ElementDataType)];
        _rowOutputShapes = [.. outputs.Select(o => RowShape(o.Value.Dimensions))];
        var features = Dimensions.Length == 1 && Dimensions[0] is [_, var f] && f > 0 ? f : 0;
        FeatureCount = features;
        DefaultFeatureNames = [.. Enumerable.Range(0, features).Select(j => $"{InputNames[0]}_{j}")];
        _rowShape = [1, features];
        if (features > 0 && _outputTypes.All(t => t != TensorElementType.String) && _rowOutputShapes.All(shape => shape is not null))
            _rowBuffers = [];
    }

    public AliasTarget Target { get; }
    public int Version => Target.Version;
    public string[] InputNames { get; }
    public int[][] Dimensions { get; }
    /// <summary>Columns of the only input when it is [N, F] with a fixed F (what a single feature row fills), else 0.</summary>
    public int FeatureCount { get; }
    /// <summary>"{input}_{j}" for each of the <see cref="FeatureCount"/> columns: the logged names when the caller gives none.</summary>
    public string[] DefaultFeatureNames { get; }

    /// <summary>Opens and warms the model (one run on zeros), so the first real prediction after a swap is not the slow one.</summary>
    public static ServingSession Load(string path, AliasTarget target, Func<SessionOptions>? options)
    {
        if (target.Flavor != ModelFlavor.Onnx)
            throw new UnservableModelException($"v{target.Version} is a {target.Flavor} model; ModelHandle serves ONNX only (export it to ONNX and register that version).");
        InferenceSession session;
        try
        {
            session = options is null ? new InferenceSession(path) : new InferenceSession(path, options());
        }
        catch (OnnxRuntimeException e)
        {
            throw new UnservableModelException($"v{target.Version} does not load in ONNX Runtime: {e.Message}", e);
        }
        try
        {
            var served = new ServingSession(session, target);
            served.Run([.. served.InputNames.Select((name, i) =>
            {
                long[] shape = [.. served.Dimensions[i].Select(d => d > 0 ? (long)d : 1)];
                return new ModelInput(name, new float[shape.Aggregate(1L, (a, b) => a * b)], shape);
            })]);
            return served;
        }
        catch
        {
            session.Dispose();
            throw;
        }
    }

    public bool TryAcquire()
    {
        var n = Volatile.Read(ref _references);
        while (n > 0)
        {
            var seen = Interlocked.CompareExchange(ref _references, n + 1, n);
            if (seen == n)
                return true;
            n = seen;
        }
        return false;
    }

    public void Release()
    {
        if (Interlocked.Decrement(ref _references) == 0)
        {
            // No call holds a reference any more, so every set of buffers is back in the bag.
            while (_rowBuffers?.TryTake(out var buffers) == true)
                buffers.Dispose();
            _run.Dispose();
            _session.Dispose();
        }
    }

    /// <summary>A single feature row fed to the first input as [1, F].</summary>
    public ModelOutput[] RunRow(float[] features)
    {
        if (FeatureCount == 0 || features.Length != FeatureCount)
            throw new ArgumentException($"v{Version} takes {(FeatureCount == 0 ? "inputs other than one feature row" : $"{FeatureCount} features")}; got {features.Length}. Use the ModelInput overload.");
        if (_rowBuffers is null || !_bindRows)
        {
            using var value = OrtValue.CreateTensorValueFromMemory(features, _rowShape);
            using var results = _session.Run(_run, InputNames, [value], _outputNames);
            return Read(results, oneRow: true);
        }
        var buffers = _rowBuffers.TryTake(out var free) ? free : new RowBuffers(_session, InputNames[0], _rowShape, _outputNames, _outputTypes, _rowOutputShapes!);
        try
        {
            features.CopyTo(buffers.Input, 0);
            try
            {
                _session.RunWithBinding(_run, buffers.Binding);
            }
            catch (OnnxRuntimeException) when (_bindRows)
            {
                // An output whose real size differs from what the model declares cannot be written in place: this
                // session lets ONNX Runtime allocate from now on, and the call is tried that way (its own error, if any).
                _bindRows = false;
                return RunRow(features);
            }
            var outputs = new ModelOutput[_outputNames.Length];
            for (var i = 0; i < outputs.Length; i++)
                outputs[i] = new ModelOutput(_outputNames[i], (long[])_rowOutputShapes[i]!.Clone(), (Array)buffers.OutputData[i].Clone());
            return outputs;
        }
        finally
        {
            _rowBuffers.Add(buffers);
        }
    }

    public ModelOutput[] Run(IReadOnlyList<ModelInput> inputs)
    {
        var values = new OrtValue[inputs.Count];
        var names = new string[inputs.Count];
        try
        {
            for (var i = 0; i < inputs.Count; i++)
            {
                names[i] = inputs[i].Name;
                values[i] = OrtValue.CreateTensorValueFromMemory(inputs[i].Data, inputs[i].Shape);
            }
            using var results = _session.Run(_run, names, values, _outputNames);
            return Read(results, oneRow: false);
        }
        finally
        {
            foreach (var v in values)
                v?.Dispose();
        }
    }

    private ModelOutput[] Read(IReadOnlyList<OrtValue> results, bool oneRow)
    {
        var outputs = new ModelOutput[_outputNames.Length];
        for (var i = 0; i < outputs.Length; i++)
        {
            var value = results[i];
            Array data = _outputTypes[i] switch
            {
                TensorElementType.Float => value.GetTensorDataAsSpan<float>().ToArray(),
                TensorElementType.Double => value.GetTensorDataAsSpan<double>().ToArray(),
                TensorElementType.Int64 => value.GetTensorDataAsSpan<long>().ToArray(),
                TensorElementType.Int32 => value.GetTensorDataAsSpan<int>().ToArray(),
                TensorElementType.Bool => value.GetTensorDataAsSpan<bool>().ToArray(),
                TensorElementType.String => value.GetStringTensorAsArray(),
                var other => throw new NotSupportedException($"Output '{_outputNames[i]}' has {other} elements, which the client does not read."),
            };
            var shape = oneRow && _rowOutputShapes[i] is { } known && ElementCount(known) == data.Length
                ? (long[])known.Clone()
                : value.GetTensorTypeAndShape().Shape;
            outputs[i] = new ModelOutput(_outputNames[i], shape, data);
        }
        return outputs;
    }

    /// <summary>
    /// One call's row input and outputs, each managed array pinned behind an OrtValue and bound by name once, so a run
    /// passes no name or value lists (ONNX Runtime's other Run overloads build them on every call).
    /// </summary>
    private sealed class RowBuffers : IDisposable
    {
        public RowBuffers(InferenceSession session, string inputName, long[] rowShape, string[] outputNames, TensorElementType[] types, long[]?[] shapes)
        {
            Input = new float[rowShape[1]];
            _input = OrtValue.CreateTensorValueFromMemory(Input, rowShape);
            OutputData = new Array[types.Length];
            Outputs = new OrtValue[types.Length];
            Binding = session.CreateIoBinding();
            for (var i = 0; i < types.Length; i++)
            {
                var shape = shapes[i]!;
                var count = (int)ElementCount(shape);
                (OutputData[i], Outputs[i]) = types[i] switch
                {
                    TensorElementType.Float => Bind(new float[count], shape),
                    TensorElementType.Double => Bind(new double[count], shape),
                    TensorElementType.Int64 => Bind(new long[count], shape),
                    TensorElementType.Int32 => Bind(new int[count], shape),
                    TensorElementType.Bool => Bind(new bool[count], shape),
                    var other => throw new NotSupportedException($"An output has {other} elements, which the client does not read."),
                };
                Binding.BindOutput(outputNames[i], Outputs[i]);
            }
            Binding.BindInput(inputName, _input);
        }

        public OrtIoBinding Binding { get; }

        private readonly OrtValue _input;

        public float[] Input { get; }
        public Array[] OutputData { get; }
        public OrtValue[] Outputs { get; }

        public void Dispose()
        {
            Binding.Dispose();
            _input.Dispose();
            foreach (var value in Outputs)
                value.Dispose();
        }

        private static (Array, OrtValue) Bind<T>(T[] data, long[] shape) where T : unmanaged => (data, OrtValue.CreateTensorValueFromMemory(data, shape));
    }

    /// <summary>The dimensions with a dynamic batch (the first) taken as 1; null when another dimension is dynamic.</summary>
    private static long[]? RowShape(int[] dimensions) =>
        dimensions.Skip(1).All(d => d > 0) ? [.. dimensions.Select((d, i) => i == 0 && d <= 0 ? 1L : d)] : null;

    private static long ElementCount(long[] shape)
    {
        var count = 1L;
        foreach (var d in shape)
            count *= d;
        return count;
    }
}
