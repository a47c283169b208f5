using System.Collections.Concurrent;
using System.Net;
using System.Text;

namespace ControlPlane.TestSupport;

/// <summary>
/// A stand-in OpenTelemetry collector speaking OTLP over HTTP/protobuf on a loopback port: it keeps every export
/// request's body by path (<c>/v1/traces</c>, <c>/v1/metrics</c>, <c>/v1/logs</c>) and accepts it.
/// </summary>
public sealed class OtlpReceiver : IDisposable
{
    private readonly HttpListener _listener = new();
    private readonly ConcurrentQueue<(string Path, byte[] Body)> _received = new();

    public OtlpReceiver()
    {
        Url = $"http://127.0.0.1:{FreePort.Next()}/";
        _listener.Prefixes.Add(Url);
        _listener.Start();
        _ = Task.Run(ReceiveAsync);
    }

    public string Url { get; }

    public IReadOnlyList<byte[]> Bodies(string path) => _received.Where(r => r.Path == path).Select(r => r.Body).ToList();

    /// <summary>Whether some request to <paramref name="path"/> holds <paramref name="text"/> (protobuf keeps strings as UTF-8).</summary>
    public bool Contains(string path, params string[] text) =>
        Bodies(path).Any(body => text.All(t => body.AsSpan().IndexOf(Encoding.UTF8.GetBytes(t)) >= 0));

    private async Task ReceiveAsync()
    {
        while (_listener.IsListening)
        {
            HttpListenerContext context;
            try
            {
                context = await _listener.GetContextAsync();
            }
            catch (Exception e) when (e is HttpListenerException or ObjectDisposedException or InvalidOperationException)
            {
                return;
            }
            using var body = new MemoryStream();
            await context.Request.InputStream.CopyToAsync(body);
            _received.Enqueue((context.Request.Url!.AbsolutePath, body.ToArray()));
            context.Response.StatusCode = 200;
            context.Response.ContentType = "application/x-protobuf"; // an empty message: nothing rejected
            context.Response.Close();
        }
    }

    public void Dispose() => _listener.Close();
}
