using System.Diagnostics;
using System.Globalization;
using System.Text;
using System.Text.Json.Nodes;

namespace ControlPlane.TestSupport;

/// <summary>
/// A real Prometheus (<c>/usr/bin/prometheus</c>, Debian package <c>prometheus</c>, installed by scripts/test.sh)
/// on a loopback port, with its own temp storage and the scrape configuration a test writes. A missing binary is a
/// failure, never a skip.
/// </summary>
public sealed class PrometheusServer : IAsyncDisposable
{
    public const string Variable = "CONTROLPLANE_PROMETHEUS";

    private readonly Process _process;
    private readonly TempDirectory _directory;
    private readonly StringBuilder _output = new();
    private readonly HttpClient _http;

    private PrometheusServer(Process process, TempDirectory directory, string url)
    {
        _process = process;
        _directory = directory;
        _http = new HttpClient { BaseAddress = new Uri(url) };
    }

    public static string Binary => Environment.GetEnvironmentVariable(Variable) is { Length: > 0 } path ? path : "/usr/bin/prometheus";

    /// <summary>Starts Prometheus with <paramref name="scrapeConfigs"/> (YAML, the <c>scrape_configs</c> list) and waits until it is ready.</summary>
    public static async Task<PrometheusServer> StartAsync(string scrapeConfigs, TimeSpan scrapeInterval)
    {
        if (!File.Exists(Binary))
            throw new InvalidOperationException($"{Binary} not found: install the Debian package 'prometheus' (scripts/test.sh does) or set {Variable}.");
        var directory = new TempDirectory("cp-prometheus");
        var interval = $"{(int)scrapeInterval.TotalMilliseconds}ms";
        var config = directory.File("prometheus.yml");
        await File.WriteAllTextAsync(config, $"""
            global:
              scrape_interval: {interval}
              scrape_timeout: {interval}
            scrape_configs:
            {scrapeConfigs}
            """);
        var address = $"127.0.0.1:{FreePort.Next()}";
        var info = new ProcessStartInfo(Binary,
        [
            $"--config.file={config}", $"--storage.tsdb.path={directory.File("data")}", $"--web.listen-address={address}",
        ])
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        var process = new Process { StartInfo = info };
        var server = new PrometheusServer(process, directory, $"http://{address}");
        process.OutputDataReceived += (_, e) => server.Append(e.Data);
        process.ErrorDataReceived += (_, e) => server.Append(e.Data);
        process.Start();
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        await Eventually.GetAsync(async () =>
        {
            if (process.HasExited)
                throw new InvalidOperationException($"Prometheus exited with code {process.ExitCode}:\n{server.Output}");
            try
            {
                return (await server._http.GetAsync("/-/ready")).IsSuccessStatusCode ? "ready" : null;
            }
            catch (HttpRequestException)
            {
                return null;
            }
        }, TimeSpan.FromSeconds(60), $"Prometheus on {address} to be ready");
        return server;
    }

    public string Output
    {
        get { lock (_output) return _output.ToString(); }
    }

    /// <summary>An instant query through the HTTP API: each series' labels and value.</summary>
    public async Task<IReadOnlyList<(JsonObject Labels, double Value)>> QueryAsync(string promql)
    {
        var body = JsonNode.Parse(await _http.GetStringAsync($"/api/v1/query?query={Uri.EscapeDataString(promql)}"))!;
        if (body["status"]?.GetValue<string>() != "success")
            throw new InvalidOperationException($"Query {promql} failed: {body.ToJsonString()}");
        return body["data"]!["result"]!.AsArray()
            .Select(r => (r!["metric"]!.AsObject(), double.Parse(r["value"]![1]!.GetValue<string>(), CultureInfo.InvariantCulture)))
            .ToList();
    }

    /// <summary>
    /// Waits until <paramref name="promql"/> (one series) has the value <paramref name="expected"/>; a value past it
    /// fails at once, since the counters the tests read only grow.
    /// </summary>
    public async Task<JsonObject> WaitForValueAsync(string promql, double expected, TimeSpan timeout)
    {
        var last = "no series";
        try
        {
            return await Eventually.GetAsync(async () =>
            {
                var result = await QueryAsync(promql);
                last = string.Join("; ", result.Select(r => $"{r.Labels.ToJsonString()} = {r.Value}"));
                if (result.Count > 1)
                    throw new InvalidOperationException($"{promql} matched {result.Count} series: {last}");
                if (result.Count == 1 && result[0].Value > expected)
                    throw new InvalidOperationException($"{promql} is {result[0].Value}, past the expected {expected}: {last}");
                return result.Count == 1 && result[0].Value == expected ? result[0].Labels : null;
            }, timeout, $"{promql} == {expected}");
        }
        catch (TimeoutException e)
        {
            throw new TimeoutException($"{e.Message} Last: {last}. Targets: {await TargetsAsync()}", e);
        }
    }

    /// <summary>One entry of <c>scrape_configs</c>: a static target, with a bearer token when given.</summary>
    public static string ScrapeJob(string name, string target, string? bearerToken = null) =>
        $"- job_name: {name}\n  static_configs:\n    - targets: ['{target}']\n"
        + (bearerToken is null ? "" : $"  authorization:\n    credentials: {bearerToken}\n");

    public async Task<string> TargetsAsync()
    {
        try
        {
            var body = JsonNode.Parse(await _http.GetStringAsync("/api/v1/targets"))!;
            return string.Join(", ", body["data"]!["activeTargets"]!.AsArray()
                .Select(t => $"{t!["scrapeUrl"]} {t["health"]} {t["lastError"]}"));
        }
        catch (Exception e) when (e is HttpRequestException or InvalidOperationException)
        {
            return e.Message;
        }
    }

    private void Append(string? line)
    {
        if (line is not null)
            lock (_output)
                _output.AppendLine(line);
    }

    public async ValueTask DisposeAsync()
    {
        _http.Dispose();
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
            await _process.WaitForExitAsync();
        }
        _process.Dispose();
        _directory.Dispose();
    }
}
