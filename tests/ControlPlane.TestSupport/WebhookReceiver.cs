using System.Net;
using System.Text;

namespace ControlPlane.TestSupport;

/// <summary>A real HTTP endpoint on a loopback port that records what it receives and answers with the given statuses (then 200).</summary>
public sealed class WebhookReceiver : IDisposable
{
    private readonly HttpListener _listener = new();
    private readonly Queue<int> _statuses;

    public WebhookReceiver(params int[] statuses)
    {
        _statuses = new Queue<int>(statuses);
        Url = $"http://127.0.0.1:{FreePort.Next()}/hook/";
        _listener.Prefixes.Add(Url);
        _listener.Start();
    }

    public string Url { get; }

    public async Task<(string Body, string? Signature, string? Event)> NextAsync(TimeSpan timeout)
    {
        var context = await _listener.GetContextAsync().WaitAsync(timeout);
        using var reader = new StreamReader(context.Request.InputStream, Encoding.UTF8);
        var body = await reader.ReadToEndAsync();
        var signature = context.Request.Headers["X-ControlPlane-Signature"];
        var name = context.Request.Headers["X-ControlPlane-Event"];
        context.Response.StatusCode = _statuses.TryDequeue(out var status) ? status : 200;
        context.Response.Close();
        return (body, signature, name);
    }

    public void Dispose() => _listener.Close();
}
