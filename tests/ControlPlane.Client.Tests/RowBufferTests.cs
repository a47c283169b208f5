using ControlPlane.TestModels;
using ControlPlane.TestSupport;

namespace ControlPlane.Client.Tests;

/// <summary>
/// Single rows run on buffers bound once to the session and shared between calls: every concurrent call must still get
/// its own row's answer, and an answer must not change when a later call reuses the buffers.
/// </summary>
[Collection(ServerCollection.Name)]
public sealed class RowBufferTests(RegistryServer server) : IDisposable
{
    private static readonly float[][] Weights = [[0.8f, -0.3f, 0.1f], [-0.5f, 0.9f, 0.2f]];
    private static readonly float[] Bias = [0.1f, -0.2f, 0.05f];
    private readonly TempDirectory _cache = new("cp-client-rows");

    [Fact]
    public async Task Concurrent_single_rows_each_get_their_own_softmax_and_keep_it()
    {
        var model = await server.CreateModelAsync("rows");
        await server.RegisterAsync(model, HandBuiltOnnx.SoftmaxClassifier(Weights, Bias));
        await server.SetAliasAsync(model, "live", 1);
        using var client = server.Client();
        await using var handle = await ModelHandle.OpenAsync(client, model, "live", new ModelHandleOptions { CacheDirectory = _cache.Path, LogPredictions = false });

        var rows = Enumerable.Range(0, 4_000).Select(i => new[] { (i % 97) / 10f - 4.8f, (i % 89) / 9f - 5f }).ToArray();
        var answers = new Prediction[rows.Length];
        Parallel.For(0, rows.Length, new ParallelOptions { MaxDegreeOfParallelism = 8 }, i => answers[i] = handle.Predict(rows[i]));

        for (var i = 0; i < rows.Length; i++)
        {
            var expected = Softmax(rows[i]);
            var probabilities = answers[i]["probabilities"].Floats;
            Assert.Equal(3, probabilities.Length);
            for (var c = 0; c < 3; c++)
                Assert.Equal(expected[c], probabilities[c], 1e-6); // float32 arithmetic against double
            Assert.Equal(Array.IndexOf(expected, expected.Max()), answers[i]["label"].Longs[0]);
            Assert.Equal([1L, 3L], answers[i]["probabilities"].Shape);
        }
    }

    /// <summary>softmax(x·W + b) in double, by the definition.</summary>
    private static double[] Softmax(float[] x)
    {
        var logits = Enumerable.Range(0, 3).Select(c => Bias[c] + x[0] * (double)Weights[0][c] + x[1] * (double)Weights[1][c]).ToArray();
        var max = logits.Max();
        var e = logits.Select(l => Math.Exp(l - max)).ToArray();
        return [.. e.Select(v => v / e.Sum())];
    }

    public void Dispose() => _cache.Dispose();
}
