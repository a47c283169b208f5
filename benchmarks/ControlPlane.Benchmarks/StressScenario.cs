using System.Diagnostics;
using System.Globalization;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json.Nodes;
using ControlPlane.TestModels;
using Parquet;
using Parquet.Schema;

namespace ControlPlane.Benchmarks;

/// <summary>
/// The stress review's hostile but legal inputs against a published web app in its one-command form (SQLite, jobs in
/// process, evaluation memory limited to 1,536 MB and training to 4,096 MB): a 50M-row Parquet file of a few KB, an ONNX model whose memory grows with the batch, a CSV row over
/// 16 MiB, a huge LightGbm fit that is cancelled, drift on a categorical column of ~500,000 categories
/// (<see cref="StressDriftBomb"/>) and wide files profiled inline (<see cref="StressWideProfiles"/>). For each: the answer, the peak resident memory of the server's
/// process tree (the web process and its children, sampled every 100 ms) over its start, the slowest and p99
/// <c>/health/ready</c> while it ran, and for the fit the time from cancel to the run's end and to idle CPU.
/// Linux only (/proc).
/// </summary>
internal static class StressScenario
{
    private const string Token = "cpat_stress-benchmark-token-0123456789abcdef";

    /// <summary>Runs every bomb, or only those named (parquet, long-row, onnx, fit, drift, wide).</summary>
    public static async Task RunAsync(string webDll, IReadOnlyCollection<string> only)
    {
        bool Runs(string bomb) => only.Count == 0 || only.Contains(bomb);
        await using var server = await WebAppUnderTest.StartAsync(webDll, Token, new Dictionary<string, string>
        {
            ["ASPNETCORE_ENVIRONMENT"] = "Production",
            // Stated limits, rather than half of whatever machine runs this.
            ["ControlPlane__Evaluation__MaxMemoryMegabytes"] = "1536", ["ControlPlane__Training__MaxMemoryMegabytes"] = "4096",
        });
        var (app, http) = (server.Process, server.Http);
        Console.WriteLine($"server ready: tree RSS {TreeRssMiB(app.Id)} MiB");
        await Send(http, HttpMethod.Post, "/api/v1/datasets", new { name = "bombs" });
        await Send(http, HttpMethod.Post, "/api/v1/models", new { name = "bomb" });

        if (Runs("parquet"))
            await MeasureAsync(server, "Parquet, 50M rows in one zstd row group", async () =>
                Describe(await UploadAsync(http, "/api/v1/datasets/bombs/versions", await ParquetBombAsync(), "bomb.parquet")));
        if (Runs("long-row"))
            await MeasureAsync(server, "CSV with a 17 MiB row", async () =>
                Describe(await UploadAsync(http, "/api/v1/datasets/bombs/versions", Encoding.UTF8.GetBytes($"a,b\n1,{new string('y', 17 << 20)}\n"), "long.csv")));
        if (Runs("onnx"))
            await MeasureAsync(server, "ONNX model whose memory grows with the batch", () => OnnxBombAsync(http));
        if (Runs("fit"))
            await MeasureAsync(server, "LightGbm 16,384 leaves x 10,000 iterations, cancelled once fitting", () => HeavyFitAsync(app, http));
        if (Runs("drift"))
            await StressDriftBomb.RunAsync(server);
        if (Runs("wide"))
            await StressWideProfiles.RunAsync(server);
    }

    /// <summary>Runs one bomb while sampling the tree's memory and timing /health/ready; prints one line.</summary>
    internal static async Task MeasureAsync(WebAppUnderTest server, string name, Func<Task<string>> bomb)
    {
        var app = server.Process;
        GC.Collect();
        var before = TreeRssMiB(app.Id);
        var webBefore = Status(app.Id, "VmRSS") / 1024;
        long peak = before, webPeak = webBefore;
        var latencies = new List<double>();
        using var stop = new CancellationTokenSource();
        var sampler = Task.Run(async () =>
        {
            while (!stop.IsCancellationRequested)
            {
                peak = Math.Max(peak, TreeRssMiB(app.Id));
                webPeak = Math.Max(webPeak, Status(app.Id, "VmRSS") / 1024);
                await Task.Delay(100);
            }
        });
        var prober = Task.Run(async () =>
        {
            while (!stop.IsCancellationRequested)
            {
                var watch = Stopwatch.StartNew();
                await server.ReadyAsync();
                latencies.Add(watch.Elapsed.TotalMilliseconds);
                await Task.Delay(200);
            }
        });
        var clock = Stopwatch.StartNew();
        var answer = await bomb();
        var elapsed = clock.Elapsed;
        await stop.CancelAsync();
        await Task.WhenAll(sampler, prober);
        latencies.Sort();
        var p99 = latencies.Count == 0 ? 0 : latencies[(int)Math.Ceiling(0.99 * latencies.Count) - 1];
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"{name}: {answer}; {elapsed.TotalSeconds:F1} s; web RSS {webBefore} -> peak {webPeak} MiB (+{webPeak - webBefore}), tree (web and children) {before} -> peak {peak} MiB (+{peak - before}); /health/ready p99 {p99:F0} ms, max {(latencies.Count == 0 ? 0 : latencies[^1]):F0} ms over {latencies.Count} probes"));
    }

    private static async Task<string> OnnxBombAsync(HttpClient http)
    {
        var csv = new StringBuilder("x,y\n");
        for (var i = 0; i < 20_000; i++)
            csv.Append(CultureInfo.InvariantCulture, $"{i},{i}\n");
        await UploadAsync(http, "/api/v1/datasets/bombs/versions", Encoding.UTF8.GetBytes(csv.ToString()), "xy.csv", """[{"name":"y","role":"Label"}]""");
        var versions = (await http.GetFromJsonAsync<JsonObject>("/api/v1/datasets/bombs/versions"))!["items"]!.AsArray();
        var dataVersion = versions.Max(v => v!["version"]!.GetValue<int>());
        await UploadAsync(http, "/api/v1/models/bomb/versions", HandBuiltOnnx.MemoryBomb(widening: 1_000_000), "bomb.onnx");
        var evaluation = await Send(http, HttpMethod.Post, "/api/v1/evaluations",
            new { model = "bomb", version = 1, dataset = "bombs", datasetVersion = dataVersion, labelColumn = "y", task = "Regression", device = "Cpu" });
        var done = await UntilAsync(async () => await http.GetFromJsonAsync<JsonObject>($"/api/v1/evaluations/{evaluation["id"]}"),
            e => e["status"]!.GetValue<string>() is "Succeeded" or "Failed", TimeSpan.FromMinutes(10));
        return $"evaluation {done["status"]}: {done["error"]}";
    }

    private static async Task<string> HeavyFitAsync(Process app, HttpClient http)
    {
        var random = new Random(5);
        var csv = new StringBuilder("tenure,monthlyCharges,contract,churned\n");
        for (var i = 0; i < 20_000; i++)
            csv.Append(CultureInfo.InvariantCulture, $"{random.Next(0, 73)},{20 + random.NextDouble() * 100:F2},{(random.Next(3) switch { 0 => "monthly", 1 => "yearly", _ => "two-year" })},{(random.NextDouble() < 0.3 ? "true" : "false")}\n");
        await Send(http, HttpMethod.Post, "/api/v1/datasets", new { name = "churn" });
        await UploadAsync(http, "/api/v1/datasets/churn/versions", Encoding.UTF8.GetBytes(csv.ToString()), "churn.csv", """[{"name":"churned","type":"Boolean","role":"Label"}]""");
        await Send(http, HttpMethod.Post, "/api/v1/models", new { name = "churn" });
        var spec = await Send(http, HttpMethod.Post, "/api/v1/training/specs", new
        {
            model = "churn", name = "heavy", task = "Binary", labelColumn = "churned",
            features = new object[] { new { name = "tenure", treatment = "Numerical" }, new { name = "monthlyCharges", treatment = "Numerical" }, new { name = "contract", treatment = "Categorical" } },
            trainer = "LightGbm", trainingDataset = new { name = "churn" },
            hyperparameters = new Dictionary<string, double> { ["numberOfIterations"] = 10_000, ["numberOfLeaves"] = 16_384, ["minimumExampleCountPerLeaf"] = 1, ["learningRate"] = 0.001 },
        });
        var run = await Send(http, HttpMethod.Post, $"/api/v1/training/specs/{spec["id"]}/runs", null);
        await UntilAsync(async () => await http.GetFromJsonAsync<JsonObject>($"/api/v1/training/runs/{run["id"]}"),
            r => r["phase"]?.GetValue<string>() == "fitting", TimeSpan.FromMinutes(5));
        await Task.Delay(TimeSpan.FromSeconds(5)); // well into the fit
        var cancelled = Stopwatch.StartNew();
        var webThreadsAtCancel = ThreadTicks(app.Id);
        await Send(http, HttpMethod.Post, $"/api/v1/training/runs/{run["id"]}/cancel", null);
        var ended = await UntilAsync(async () => await http.GetFromJsonAsync<JsonObject>($"/api/v1/training/runs/{run["id"]}"),
            r => r["status"]!.GetValue<string>() is not ("Queued" or "Running"), TimeSpan.FromMinutes(3));
        var toEnd = cancelled.Elapsed;
        // Children gone: the fit's process no longer exists. Idle: the tree used under 10 % of one core over half a second.
        TimeSpan? childrenGone = null, toIdle = null;
        for (var cpu = TreeCpuTicks(app.Id); cancelled.Elapsed < TimeSpan.FromMinutes(3); )
        {
            await Task.Delay(500);
            childrenGone ??= Tree(app.Id).Count == 1 ? cancelled.Elapsed : null;
            var now = TreeCpuTicks(app.Id);
            if (now - cpu < 0.1 * 0.5 * 100) // clock ticks are 1/100 s
            {
                toIdle = cancelled.Elapsed;
                break;
            }
            cpu = now;
        }
        // Which of the web's own threads (by name) used the CPU between the cancel and idle.
        var webThreads = ThreadTicks(app.Id).Select(t => (Name: t.Key, Ticks: t.Value - webThreadsAtCancel.GetValueOrDefault(t.Key))).ToList();
        var busiest = webThreads.MaxBy(t => t.Ticks);
        return string.Create(CultureInfo.InvariantCulture,
            $"run {ended["status"]} {toEnd.TotalSeconds:F1} s after the cancel, fit process gone after {(childrenGone is { } gone ? $"{gone.TotalSeconds:F1} s" : "more than 3 min")}, " +
            $"tree CPU idle after {(toIdle is { } idle ? $"{idle.TotalSeconds:F1} s" : "more than 3 min")}; meanwhile the web process used {webThreads.Sum(t => t.Ticks) / 100.0:F1} s of CPU, " +
            $"{busiest.Ticks / 100.0:F1} s of it on its '{busiest.Name}' threads");
    }

    private static async Task<byte[]> ParquetBombAsync()
    {
        var field = new DataField<int>("x");
        var path = Path.GetTempFileName();
        await using (var file = File.Create(path))
        await using (var writer = await ParquetWriter.CreateAsync(new ParquetSchema(field), file, new ParquetOptions { CompressionMethod = CompressionMethod.Zstd }))
        {
            using var group = writer.CreateRowGroup();
            await group.WriteAsync<int>(field, new int[50_000_000]);
        }
        var bytes = await File.ReadAllBytesAsync(path);
        File.Delete(path);
        return bytes;
    }

    internal static async Task<JsonObject> Send(HttpClient http, HttpMethod method, string path, object? body)
    {
        using var request = new HttpRequestMessage(method, path) { Content = body is null ? null : JsonContent.Create(body) };
        using var response = await http.SendAsync(request);
        var text = await response.Content.ReadAsStringAsync();
        if (!response.IsSuccessStatusCode)
            throw new InvalidOperationException($"{method} {path}: {(int)response.StatusCode} {text}");
        return text.Length == 0 ? [] : JsonNode.Parse(text)!.AsObject();
    }

    internal static async Task<HttpResponseMessage> UploadAsync(HttpClient http, string path, byte[] file, string name, string? schema = null)
    {
        using var form = new MultipartFormDataContent { { new ByteArrayContent(file), "file", name } };
        if (schema is not null)
            form.Add(new StringContent(schema, Encoding.UTF8, "application/json"), "schema");
        return await http.PostAsync(path, form);
    }

    internal static string Describe(HttpResponseMessage response)
    {
        var body = response.Content.ReadAsStringAsync().GetAwaiter().GetResult();
        var detail = JsonNode.Parse(body) is JsonObject o && o["detail"] is { } d ? d.GetValue<string>() : body[..Math.Min(body.Length, 120)];
        return $"{(int)response.StatusCode} {detail[..Math.Min(detail.Length, 140)]}";
    }

    internal static async Task<JsonObject> UntilAsync(Func<Task<JsonObject?>> probe, Func<JsonObject, bool> done, TimeSpan timeout)
    {
        var clock = Stopwatch.StartNew();
        while (true)
        {
            if (await probe() is { } value && done(value))
                return value;
            if (clock.Elapsed > timeout)
                throw new TimeoutException("gave up waiting");
            await Task.Delay(250);
        }
    }

    /// <summary>The process and its descendants (from /proc/*/stat parent ids).</summary>
    private static List<int> Tree(int root)
    {
        var parents = new Dictionary<int, int>();
        foreach (var dir in Directory.EnumerateDirectories("/proc"))
            if (int.TryParse(Path.GetFileName(dir), out var pid) && Stat(pid) is { } stat)
                parents[pid] = int.Parse(stat[1], CultureInfo.InvariantCulture);
        var tree = new List<int> { root };
        for (var i = 0; i < tree.Count; i++)
            tree.AddRange(parents.Where(p => p.Value == tree[i]).Select(p => p.Key));
        return tree;
    }

    /// <summary>CPU clock ticks of the process's threads, summed by thread name (the runtime names its JIT, GC and pool threads).</summary>
    private static Dictionary<string, long> ThreadTicks(int pid)
    {
        var ticks = new Dictionary<string, long>();
        foreach (var thread in Directory.EnumerateDirectories($"/proc/{pid}/task"))
        {
            try
            {
                var stat = File.ReadAllText($"{thread}/stat");
                var fields = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
                var name = File.ReadAllText($"{thread}/comm").Trim();
                ticks[name] = ticks.GetValueOrDefault(name) + long.Parse(fields[11], CultureInfo.InvariantCulture) + long.Parse(fields[12], CultureInfo.InvariantCulture);
            }
            catch (IOException)
            {
                // the thread ended between the listing and the read
            }
        }
        return ticks;
    }

    private static long TreeRssMiB(int root) => Tree(root).Sum(pid => Status(pid, "VmRSS")) / 1024;

    private static long TreeCpuTicks(int root) =>
        Tree(root).Sum(pid => Stat(pid) is { } s ? long.Parse(s[11], CultureInfo.InvariantCulture) + long.Parse(s[12], CultureInfo.InvariantCulture) : 0);

    /// <summary>/proc/PID/stat after the command name: [0] state, [1] ppid, … [11] utime, [12] stime.</summary>
    private static string[]? Stat(int pid)
    {
        try
        {
            var text = File.ReadAllText($"/proc/{pid}/stat");
            return text[(text.LastIndexOf(')') + 2)..].Split(' ');
        }
        catch (IOException)
        {
            return null;
        }
    }

    private static long Status(int pid, string field)
    {
        try
        {
            var line = File.ReadLines($"/proc/{pid}/status").FirstOrDefault(l => l.StartsWith(field + ":", StringComparison.Ordinal));
            return line is null ? 0 : long.Parse(line.Split(' ', StringSplitOptions.RemoveEmptyEntries)[1], CultureInfo.InvariantCulture);
        }
        catch (IOException)
        {
            return 0;
        }
    }
}
