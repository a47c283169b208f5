using System.Collections.Concurrent;
using System.Net;
using System.Text;
using ControlPlane.TestSupport;

namespace ControlPlane.Client.Tests;

/// <summary>
/// A real HTTP server on a loopback port standing in for the ingest API: it records each request body and answers
/// per <see cref="Answer"/> — or, with <see cref="Stall"/>, never answers (the failure a client must survive).
/// </summary>
internal sealed class IngestEndpoint : IDisposable
{
    private readonly HttpListener _listener = new();
    private readonly ConcurrentQueue<HttpListenerContext> _held = new();

    public IngestEndpoint()
    {
        Url = new Uri($"http://127.0.0.1:{FreePort.Next()}/");
        _listener.Prefixes.Add(Url.ToString());
        _listener.Start();
        _ = Task.Run(ServeAsync);
    }

    public Uri Url { get; }
    public bool Stall { get; init; }
    /// <summary>Given the request's number (from 1), the status and Retry-After seconds to answer; 200 with accepted = records by default.</summary>
    public Func<int, (HttpStatusCode Status, int? RetryAfter)> Answer { get; init; } = _ => (HttpStatusCode.OK, null);
    public ConcurrentQueue<(string Path, string Body)> Requests { get; } = new();
    public int Held => _held.Count;

    public ControlPlaneClient Client() => new(Url, "cpat_ingest-test-token");

    private async Task ServeAsync()
    {
        while (_listener.IsListening)
        {
            HttpListenerContext context;
            try
            {
                context = await _listener.GetContextAsync();
            }
            catch (Exception e) when (e is HttpListenerException or ObjectDisposedException)
            {
                return;
            }
            using (var reader = new StreamReader(context.Request.InputStream, Encoding.UTF8))
                Requests.Enqueue((context.Request.Url!.AbsolutePath, await reader.ReadToEndAsync()));
            if (Stall)
            {
                _held.Enqueue(context);
                continue;
            }
            var (status, retryAfter) = Answer(Requests.Count);
            context.Response.StatusCode = (int)status;
            if (retryAfter is { } seconds)
                context.Response.Headers["Retry-After"] = seconds.ToString(System.Globalization.CultureInfo.InvariantCulture);
            var records = System.Text.Json.JsonDocument.Parse(Requests.Last().Body).RootElement.GetArrayLength();
            var body = Encoding.UTF8.GetBytes(status == HttpStatusCode.OK ? $"{{\"accepted\":{records},\"rejected\":0,\"rejections\":[]}}" : "{}");
            context.Response.ContentType = "application/json";
            await context.Response.OutputStream.WriteAsync(body);
            context.Response.Close();
        }
    }

    public void Dispose()
    {
        _listener.Close();
        while (_held.TryDequeue(out var c))
            c.Response.Abort();
    }
}
