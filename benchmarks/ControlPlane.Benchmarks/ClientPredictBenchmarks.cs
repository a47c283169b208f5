using System.Net;
using System.Security.Cryptography;
using BenchmarkDotNet.Attributes;
using ControlPlane.Client;
using ControlPlane.TestModels;
using Microsoft.ML.OnnxRuntime;

namespace ControlPlane.Benchmarks;

/// <summary>
/// What <see cref="ModelHandle.Predict(float[], string?, IReadOnlyDictionary{string, string}?)"/> costs over a bare
/// <see cref="InferenceSession.Run(RunOptions, IReadOnlyCollection{string}, IReadOnlyCollection{OrtValue}, IReadOnlyCollection{string})"/>
/// on the same MLP (20 → 64 → 64 → 2) and batch of 1: the reference reuses its input buffer and reads both outputs,
/// as the handle does. The handle runs from its cache (the registry answers 503, so it serves offline) and logs every
/// prediction to a loopback listener that accepts each batch, so logging's background work (JSON, HTTP) is measured
/// too; allocations are the process's (MemoryDiagnoser), background work included.
/// </summary>
[MemoryDiagnoser]
public class ClientPredictBenchmarks
{
    private const int Features = 20;
    private readonly float[] _row = [.. Enumerable.Range(0, Features).Select(i => i / 10f)];
    private string _cache = "";
    private HttpListener _sink = null!;
    private ControlPlaneClient _client = null!;
    private ModelHandle _logged = null!, _unlogged = null!;
    private InferenceSession _session = null!;
    private OrtValue _input = null!;
    private RunOptions _run = null!;
    private string[] _inputNames = null!, _outputNames = null!;
    private readonly float[] _boundProbabilities = new float[2];
    private readonly long[] _boundLabel = new long[1];
    private OrtValue[] _boundOutputs = null!;
    private OrtIoBinding _binding = null!;

    [GlobalSetup]
    public void Setup()
    {
        var model = HandBuiltOnnx.Mlp(HandBuiltOnnx.RandomLayers([Features, 64, 64, 2]));
        _cache = Directory.CreateTempSubdirectory("cp-bench-client-").FullName;
        var sha = Convert.ToHexStringLower(SHA256.HashData(model));
        File.WriteAllBytes(Path.Combine(_cache, $"{sha}.onnx"), model);
        var cache = new ArtifactCache(_cache);
        var target = new AliasTarget("live", 1, sha, ModelFlavor.Onnx, DateTime.UtcNow);
        cache.RememberAsync("bench", "live", target, default).GetAwaiter().GetResult();

        var port = Random.Shared.Next(20_000, 60_000);
        _sink = new HttpListener { Prefixes = { $"http://127.0.0.1:{port}/" } };
        _sink.Start();
        _ = Task.Run(AnswerAsync);
        _client = new ControlPlaneClient(new Uri($"http://127.0.0.1:{port}/"), "cpat_benchmark");
        ModelHandleOptions Options(bool log) => new() { CacheDirectory = _cache, LogPredictions = log, FirstRetryDelay = TimeSpan.FromMinutes(5), MaxRetryDelay = TimeSpan.FromMinutes(5) };
        _logged = ModelHandle.OpenAsync(_client, "bench", "live", Options(true)).GetAwaiter().GetResult();
        _unlogged = ModelHandle.OpenAsync(_client, "bench", "live", Options(false)).GetAwaiter().GetResult();

        _session = new InferenceSession(model);
        _input = OrtValue.CreateTensorValueFromMemory(_row, [1, Features]);
        _run = new RunOptions();
        _inputNames = ["X"];
        _outputNames = ["probabilities", "label"];
        _boundOutputs = [OrtValue.CreateTensorValueFromMemory(_boundProbabilities, [1, 2]), OrtValue.CreateTensorValueFromMemory(_boundLabel, [1])];
        _binding = _session.CreateIoBinding();
        _binding.BindInput("X", _input);
        _binding.BindOutput("probabilities", _boundOutputs[0]);
        _binding.BindOutput("label", _boundOutputs[1]);
    }

    [Benchmark(Baseline = true)]
    public long BareSessionRun()
    {
        using var outputs = _session.Run(_run, _inputNames, [_input], _outputNames);
        var probabilities = outputs[0].GetTensorDataAsSpan<float>().ToArray();
        return outputs[1].GetTensorDataAsSpan<long>()[0] + probabilities.Length;
    }

    /// <summary>The fastest way to call ONNX Runtime here: input and outputs bound once (an IO binding over managed arrays), outputs copied out.</summary>
    [Benchmark]
    public long BareSessionRunBound()
    {
        _session.RunWithBinding(_run, _binding);
        var probabilities = (float[])_boundProbabilities.Clone();
        return _boundLabel[0] + probabilities.Length;
    }

    [Benchmark]
    public int HandlePredictUnlogged() => _unlogged.Predict(_row).Version;

    [Benchmark]
    public int HandlePredictLogged() => _logged.Predict(_row).Version;

    [GlobalCleanup]
    public void Cleanup()
    {
        var logger = _logged.Logger!;
        _logged.DisposeAsync().AsTask().GetAwaiter().GetResult();
        Console.WriteLine($"// logger: accepted {logger.Accepted:N0}, dropped {logger.Dropped:N0} (buffer full), abandoned {logger.Abandoned:N0}");
        _unlogged.DisposeAsync().AsTask().GetAwaiter().GetResult();
        _client.Dispose();
        _sink.Stop();
        _session.Dispose();
        _input.Dispose();
        _binding.Dispose();
        foreach (var output in _boundOutputs)
            output.Dispose();
        _run.Dispose();
        Directory.Delete(_cache, recursive: true);
    }

    private static readonly byte[] RecordKey = "\"predictionId\""u8.ToArray();
    private readonly byte[] _body = new byte[1 << 16];

    /// <summary>
    /// Counts the records in a batch without keeping it: the listener runs in the measured process, so reading bodies
    /// into strings would charge the listener's allocations to the client.
    /// </summary>
    private async Task<int> CountRecordsAsync(Stream body)
    {
        int records = 0, carried = 0, read;
        while ((read = await body.ReadAsync(_body.AsMemory(carried))) > 0)
        {
            var span = _body.AsSpan(0, carried + read);
            for (var at = span.IndexOf(RecordKey); at >= 0; at = span.IndexOf(RecordKey))
            {
                records++;
                span = span[(at + RecordKey.Length)..];
            }
            // A key may straddle two reads: keep the tail that could start one.
            carried = Math.Min(span.Length, RecordKey.Length - 1);
            span[^carried..].CopyTo(_body);
        }
        return records;
    }

    /// <summary>The registry is down (503: the handle serves from its cache); prediction batches are accepted whole.</summary>
    private async Task AnswerAsync()
    {
        while (_sink.IsListening)
        {
            HttpListenerContext context;
            try
            {
                context = await _sink.GetContextAsync();
            }
            catch (HttpListenerException)
            {
                return;
            }
            catch (ObjectDisposedException)
            {
                return;
            }
            var response = context.Response;
            if (context.Request.HttpMethod == "POST")
            {
                var records = await CountRecordsAsync(context.Request.InputStream);
                var answer = System.Text.Encoding.UTF8.GetBytes($$"""{"accepted":{{records}},"rejected":0}""");
                response.ContentType = "application/json";
                await response.OutputStream.WriteAsync(answer);
            }
            else
                response.StatusCode = 503;
            response.Close();
        }
    }
}
