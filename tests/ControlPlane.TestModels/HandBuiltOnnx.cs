namespace ControlPlane.TestModels;

/// <summary>
/// ONNX models written byte by byte (no exporter involved), so tests know exactly what the signature must be.
/// Element types: 1 = float, 7 = int64, 8 = string. Dimensions: a number, or null for a named dynamic dimension "N".
/// </summary>
public static class HandBuiltOnnx
{
    public const string Producer = "controlplane-tests";

    /// <summary>Y = Identity(X) with X, Y float [N, features].</summary>
    public static byte[] Identity(int features = 3) => Model([("", 13)], g => g
        .Message(1, n => n.String(1, "X").String(2, "Y").String(3, "identity").String(4, "Identity"))
        .String(2, "identity-graph")
        .Message(11, v => ValueInfo(v, "X", 1, null, features))
        .Message(12, v => ValueInfo(v, "Y", 1, null, features)));

    /// <summary>
    /// A binary logistic regression as scikit-learn's ONNX converter writes it: LinearClassifier (ai.onnx.ml) with
    /// coefficients for both classes, then ZipMap to a sequence of {label: probability} maps.
    /// </summary>
    public static byte[] LogisticRegressionWithZipMap(float[] weights, float bias) => Model([("", 13), ("ai.onnx.ml", 1)], g =>
    {
        g.Message(1, n =>
        {
            n.String(1, "float_input").String(2, "label").String(2, "probability_tensor").String(3, "LinearClassifier")
                .String(4, "LinearClassifier").String(7, "ai.onnx.ml");
            n.Message(5, a => { a.String(1, "classlabels_ints").Varint(20, 7); a.Varint(8, 0).Varint(8, 1); });
            n.Message(5, a =>
            {
                a.String(1, "coefficients").Varint(20, 6);
                foreach (var w in weights) a.Float(7, -w);
                foreach (var w in weights) a.Float(7, w);
            });
            n.Message(5, a => a.String(1, "intercepts").Varint(20, 6).Float(7, -bias).Float(7, bias));
            n.Message(5, a => a.String(1, "post_transform").Varint(20, 3).String(4, "LOGISTIC"));
            n.Message(5, a => a.String(1, "multi_class").Varint(20, 2).Varint(3, 0));
        });
        g.Message(1, n =>
        {
            n.String(1, "probability_tensor").String(2, "output_probability").String(3, "ZipMap").String(4, "ZipMap").String(7, "ai.onnx.ml");
            n.Message(5, a => { a.String(1, "classlabels_int64s").Varint(20, 7); a.Varint(8, 0).Varint(8, 1); });
        });
        g.String(2, "sklearn-logistic-regression");
        g.Message(11, v => ValueInfo(v, "float_input", 1, null, weights.Length));
        g.Message(12, v => ValueInfo(v, "label", 7, new int?[] { null }));
        g.Message(12, v => v.String(1, "output_probability").Message(2, t => t.Message(4, seq => seq.Message(1, inner =>
            inner.Message(5, map => map.Varint(1, 7).Message(2, value => value.Message(1, tensor => tensor.Varint(1, 1))))))));
    });

    /// <summary>
    /// A softmax classifier: probabilities = Softmax(X · W + B) over classes 0..C-1 and label = ArgMax(probabilities),
    /// with X float [N, F], W [F, C] given row by row, B [C]; outputs "probabilities" float [N, C] and "label" int64 [N].
    /// </summary>
    public static byte[] SoftmaxClassifier(float[][] weights, float[] bias) => Model([("", 13)], g =>
    {
        var (features, classes) = (weights.Length, bias.Length);
        g.Message(1, n => n.String(1, "X").String(1, "W").String(2, "XW").String(3, "matmul").String(4, "MatMul"));
        g.Message(1, n => n.String(1, "XW").String(1, "B").String(2, "logits").String(3, "add").String(4, "Add"));
        g.Message(1, n => n.String(1, "logits").String(2, "probabilities").String(3, "softmax").String(4, "Softmax")
            .Message(5, a => a.String(1, "axis").Varint(20, 2).Varint(3, 1)));
        g.Message(1, n => n.String(1, "probabilities").String(2, "label").String(3, "argmax").String(4, "ArgMax")
            .Message(5, a => a.String(1, "axis").Varint(20, 2).Varint(3, 1))
            .Message(5, a => a.String(1, "keepdims").Varint(20, 2).Varint(3, 0)));
        g.String(2, "softmax-classifier");
        g.Message(5, t => FloatTensor(t, "W", [features, classes], [.. weights.SelectMany(row => row)]));
        g.Message(5, t => FloatTensor(t, "B", [classes], bias));
        g.Message(11, v => ValueInfo(v, "X", 1, null, features));
        g.Message(12, v => ValueInfo(v, "probabilities", 1, null, classes));
        g.Message(12, v => ValueInfo(v, "label", 7, new int?[] { null }));
    });

    /// <summary>
    /// A multilayer perceptron classifier: h = Relu(h · Wₖ + Bₖ) through every layer but the last, whose logits go
    /// through Softmax to "probabilities" float [N, C], and "label" = ArgMax int64 [N]. X is float [N, F]; each layer's
    /// weights are [in, out] given row by row.
    /// </summary>
    public static byte[] Mlp(IReadOnlyList<(float[][] Weights, float[] Bias)> layers) => Model([("", 13)], g =>
    {
        var input = "X";
        for (var k = 0; k < layers.Count; k++)
        {
            var (product, sum) = ($"XW{k}", k == layers.Count - 1 ? "logits" : $"Z{k}");
            g.Message(1, n => n.String(1, input).String(1, $"W{k}").String(2, product).String(3, $"matmul{k}").String(4, "MatMul"));
            g.Message(1, n => n.String(1, product).String(1, $"B{k}").String(2, sum).String(3, $"add{k}").String(4, "Add"));
            if (k < layers.Count - 1)
            {
                var activation = $"H{k}";
                g.Message(1, n => n.String(1, sum).String(2, activation).String(3, $"relu{k}").String(4, "Relu"));
                input = activation;
            }
        }
        g.Message(1, n => n.String(1, "logits").String(2, "probabilities").String(3, "softmax").String(4, "Softmax")
            .Message(5, a => a.String(1, "axis").Varint(20, 2).Varint(3, 1)));
        g.Message(1, n => n.String(1, "probabilities").String(2, "label").String(3, "argmax").String(4, "ArgMax")
            .Message(5, a => a.String(1, "axis").Varint(20, 2).Varint(3, 1))
            .Message(5, a => a.String(1, "keepdims").Varint(20, 2).Varint(3, 0)));
        g.String(2, "mlp-classifier");
        for (var k = 0; k < layers.Count; k++)
        {
            var (weights, bias) = layers[k];
            g.Message(5, t => FloatTensor(t, $"W{k}", [weights.Length, bias.Length], [.. weights.SelectMany(row => row)]));
            g.Message(5, t => FloatTensor(t, $"B{k}", [bias.Length], bias));
        }
        g.Message(11, v => ValueInfo(v, "X", 1, null, layers[0].Weights.Length));
        g.Message(12, v => ValueInfo(v, "probabilities", 1, null, layers[^1].Bias.Length));
        g.Message(12, v => ValueInfo(v, "label", 7, new int?[] { null }));
    });

    /// <summary>
    /// Seeded layers for <see cref="Mlp"/> with the given sizes (features first, classes last, e.g. 20, 512, 512, 2):
    /// weights uniform in ±1/√fan-in (so activations stay of order one through the layers), biases 0.01.
    /// </summary>
    public static (float[][] Weights, float[] Bias)[] RandomLayers(int[] sizes, int seed = 1)
    {
        var random = new Random(seed);
        return [.. sizes.Zip(sizes.Skip(1), (fanIn, fanOut) =>
        {
            var scale = 1 / Math.Sqrt(fanIn);
            float[][] weights = [.. Enumerable.Range(0, fanIn).Select(_ => Enumerable.Range(0, fanOut).Select(_ => (float)((random.NextDouble() * 2 - 1) * scale)).ToArray())];
            return (weights, Enumerable.Repeat(0.01f, fanOut).ToArray());
        })];
    }

    /// <summary>A LinearRegressor (ai.onnx.ml): variable = X · weights + bias, X float [N, F], output "variable" float [N, 1].</summary>
    public static byte[] LinearRegressor(float[] weights, float bias) => Model([("", 13), ("ai.onnx.ml", 1)], g =>
    {
        g.Message(1, n =>
        {
            n.String(1, "X").String(2, "variable").String(3, "regressor").String(4, "LinearRegressor").String(7, "ai.onnx.ml");
            n.Message(5, a => { a.String(1, "coefficients").Varint(20, 6); foreach (var w in weights) a.Float(7, w); });
            n.Message(5, a => a.String(1, "intercepts").Varint(20, 6).Float(7, bias));
            n.Message(5, a => a.String(1, "targets").Varint(20, 2).Varint(3, 1));
        });
        g.String(2, "linear-regressor");
        g.Message(11, v => ValueInfo(v, "X", 1, null, weights.Length));
        g.Message(12, v => ValueInfo(v, "variable", 1, null, 1));
    });

    /// <summary>
    /// A multiclass LinearClassifier with string classes and softmax, then ZipMap, as scikit-learn's converter writes a
    /// classifier trained on text labels: outputs "label" string [N] and "output_probability" sequence of maps
    /// string → float. <paramref name="weights"/> holds one row of F coefficients per class.
    /// </summary>
    public static byte[] StringClassifierWithZipMap(string[] classes, float[][] weights, float[] bias) => Model([("", 13), ("ai.onnx.ml", 1)], g =>
    {
        g.Message(1, n =>
        {
            n.String(1, "float_input").String(2, "label").String(2, "probability_tensor").String(3, "LinearClassifier")
                .String(4, "LinearClassifier").String(7, "ai.onnx.ml");
            n.Message(5, a => { a.String(1, "classlabels_strings").Varint(20, 8); foreach (var c in classes) a.String(9, c); });
            n.Message(5, a => { a.String(1, "coefficients").Varint(20, 6); foreach (var w in weights.SelectMany(row => row)) a.Float(7, w); });
            n.Message(5, a => { a.String(1, "intercepts").Varint(20, 6); foreach (var b in bias) a.Float(7, b); });
            n.Message(5, a => a.String(1, "post_transform").Varint(20, 3).String(4, "SOFTMAX"));
            n.Message(5, a => a.String(1, "multi_class").Varint(20, 2).Varint(3, 1));
        });
        g.Message(1, n =>
        {
            n.String(1, "probability_tensor").String(2, "output_probability").String(3, "ZipMap").String(4, "ZipMap").String(7, "ai.onnx.ml");
            n.Message(5, a => { a.String(1, "classlabels_strings").Varint(20, 8); foreach (var c in classes) a.String(9, c); });
        });
        g.String(2, "sklearn-string-classifier");
        g.Message(11, v => ValueInfo(v, "float_input", 1, null, weights[0].Length));
        g.Message(12, v => ValueInfo(v, "label", 8, new int?[] { null }));
        g.Message(12, v => v.String(1, "output_probability").Message(2, t => t.Message(4, seq => seq.Message(1, inner =>
            inner.Message(5, map => map.Varint(1, 8).Message(2, value => value.Message(1, tensor => tensor.Varint(1, 1))))))));
    });

    /// <summary>A regression over one int64 input: "value" float [N, 1] = Cast("count" int64 [N, 1]).</summary>
    public static byte[] CastInt64ToFloat() => Model([("", 13)], g => g
        .Message(1, n => n.String(1, "count").String(2, "value").String(3, "cast").String(4, "Cast")
            .Message(5, a => a.String(1, "to").Varint(20, 2).Varint(3, 1)))
        .String(2, "cast-int64")
        .Message(11, v => ValueInfo(v, "count", 7, null, 1))
        .Message(12, v => ValueInfo(v, "value", 1, null, 1)));

    /// <summary>The identity graph plus an unused float initializer of <paramref name="paddingBytes"/> bytes: a big, valid, self-contained model.</summary>
    public static byte[] IdentityWithPadding(int paddingBytes) => Model([("", 13)], g => g
        .Message(1, n => n.String(1, "X").String(2, "Y").String(3, "identity").String(4, "Identity"))
        .String(2, "padded")
        .Message(5, t => t.Varint(1, paddingBytes / 4).Varint(2, 1).String(8, "unused_weights").Bytes(9, new byte[paddingBytes / 4 * 4]))
        .Message(11, v => ValueInfo(v, "X", 1, null, 3))
        .Message(12, v => ValueInfo(v, "Y", 1, null, 3)));

    /// <summary>A model whose initializer points at a file outside the model (what an attacker would upload).</summary>
    public static byte[] WithExternalData(string location = "../../../etc/passwd") => Model([("", 13)], g => g
        .Message(1, n => n.String(1, "X").String(1, "W").String(2, "Y").String(3, "add").String(4, "Add"))
        .String(2, "external")
        .Message(5, t => t.Varint(1, 3).Varint(2, 1).String(8, "W")
            .Message(13, e => e.String(1, "location").String(2, location)).Varint(14, 1))
        .Message(11, v => ValueInfo(v, "X", 1, 3))
        .Message(12, v => ValueInfo(v, "Y", 1, 3)));

    /// <summary>
    /// Y = X + ReduceSum(ConstantOfShape(Shape(X) × [1, <paramref name="widening"/>])) with X, Y float [N, 1]: the
    /// answer is X, but each batch of N rows first takes N × widening × 4 bytes of zeros, so what the model needs grows
    /// with the batch (the 852-byte model of the stress review took a server from 447 MB to 6.5 GB).
    /// </summary>
    public static byte[] MemoryBomb(long widening) => Model([("", 13)], g => g
        .Message(1, n => n.String(1, "X").String(2, "shape").String(3, "shape").String(4, "Shape"))
        .Message(1, n => n.String(1, "shape").String(1, "widening").String(2, "big_shape").String(3, "widen").String(4, "Mul"))
        .Message(1, n => n.String(1, "big_shape").String(2, "zeros").String(3, "zeros").String(4, "ConstantOfShape"))
        .Message(1, n => n.String(1, "zeros").String(2, "total").String(3, "sum").String(4, "ReduceSum"))
        .Message(1, n => n.String(1, "X").String(1, "total").String(2, "Y").String(3, "add").String(4, "Add"))
        .String(2, "memory-bomb")
        .Message(5, t => t.Varint(1, 2).Varint(2, 7).String(8, "widening").Bytes(9, [.. BitConverter.GetBytes(1L), .. BitConverter.GetBytes(widening)]))
        .Message(11, v => ValueInfo(v, "X", 1, null, 1))
        .Message(12, v => ValueInfo(v, "Y", 1, null, 1)));

    private static byte[] Model((string Domain, int Version)[] opsets, Action<ProtoWriter> graph)
    {
        var model = new ProtoWriter().Varint(1, 8).String(2, Producer).String(3, "1.0");
        foreach (var (domain, version) in opsets)
            model.Message(8, o => o.String(1, domain).Varint(2, version));
        return model.Message(7, graph).ToArray();
    }

    private static void FloatTensor(ProtoWriter t, string name, long[] dims, float[] values)
    {
        foreach (var d in dims)
            t.Varint(1, d);
        // raw_data is little-endian, as BitConverter is on every platform .NET runs these tests on.
        t.Varint(2, 1).String(8, name).Bytes(9, System.Runtime.InteropServices.MemoryMarshal.AsBytes(values.AsSpan()).ToArray());
    }

    private static void ValueInfo(ProtoWriter v, string name, int elementType, params int?[] dims) =>
        v.String(1, name).Message(2, type => type.Message(1, tensor => tensor.Varint(1, elementType).Message(2, shape =>
        {
            foreach (var d in dims)
                shape.Message(1, dim => { if (d is { } value) dim.Varint(1, value); else dim.String(2, "N"); });
        })));
}
