using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace ControlPlane.Client;

/// <summary>
/// Typed calls to a ControlPlane server's registry (read side) and prediction ingest, authenticated with a bearer
/// token (a personal access token; a serving app needs the read and ingest scopes, limited to its models).
/// </summary>
public sealed class ControlPlaneClient : IDisposable
{
    internal static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web) { Converters = { new JsonStringEnumConverter() } };

    private readonly HttpClient _http;
    private readonly AuthenticationHeaderValue? _auth;
    private readonly bool _ownsHttp;

    /// <summary>A client with its own <see cref="HttpClient"/> for <paramref name="server"/>.</summary>
    public ControlPlaneClient(Uri server, string token)
        : this(new HttpClient { BaseAddress = server, Timeout = Timeout.InfiniteTimeSpan }, token) => _ownsHttp = true;

    /// <summary>A client over an <see cref="HttpClient"/> the caller owns; its BaseAddress is the server. The token is sent per request.</summary>
    public ControlPlaneClient(HttpClient http, string? token)
    {
        _http = http;
        if (http.BaseAddress is null)
            throw new ArgumentException("The HttpClient needs a BaseAddress (the ControlPlane server's URL).", nameof(http));
        _auth = token is null ? null : new AuthenticationHeaderValue("Bearer", token);
    }

    public Uri Server => _http.BaseAddress!;

    public Task<ModelInfo> GetModelAsync(string model, CancellationToken ct = default) =>
        GetAsync<ModelInfo>($"api/v1/models/{Escape(model)}", ct);

    public Task<Page<ModelSummaryInfo>> ListModelsAsync(string? search = null, int page = 0, int pageSize = 25, CancellationToken ct = default) =>
        GetAsync<Page<ModelSummaryInfo>>($"api/v1/models?page={page}&pageSize={pageSize}{(search is null ? "" : $"&search={Uri.EscapeDataString(search)}")}", ct);

    public Task<Page<ModelVersionInfo>> ListVersionsAsync(string model, int page = 0, int pageSize = 25, CancellationToken ct = default) =>
        GetAsync<Page<ModelVersionInfo>>($"api/v1/models/{Escape(model)}/versions?page={page}&pageSize={pageSize}", ct);

    public Task<ModelVersionInfo> GetVersionAsync(string model, int version, CancellationToken ct = default) =>
        GetAsync<ModelVersionInfo>($"api/v1/models/{Escape(model)}/versions/{version}", ct);

    public Task<IReadOnlyList<AliasInfo>> ListAliasesAsync(string model, CancellationToken ct = default) =>
        GetAsync<IReadOnlyList<AliasInfo>>($"api/v1/models/{Escape(model)}/aliases", ct);

    /// <summary>Where the alias points now.</summary>
    public async Task<AliasTarget> GetAliasAsync(string model, string alias, CancellationToken ct = default) =>
        (await WatchAliasAsync(model, alias, null, null, ct))!;

    /// <summary>
    /// Waits on the server (a long poll, no polling here) until the alias no longer points at the version named by
    /// <paramref name="etag"/>; returns the new target, or null when <paramref name="wait"/> (1–60 s) passed without a move.
    /// </summary>
    public async Task<AliasTarget?> WatchAliasAsync(string model, string alias, string? etag, TimeSpan? wait, CancellationToken ct = default)
    {
        var seconds = wait is { } w ? Math.Clamp((int)Math.Ceiling(w.TotalSeconds), 1, 60) : (int?)null;
        using var request = Request(HttpMethod.Get, $"api/v1/models/{Escape(model)}/aliases/{Escape(alias)}{(seconds is null ? "" : $"?wait={seconds}")}");
        if (etag is not null)
            request.Headers.IfNoneMatch.Add(EntityTagHeaderValue.Parse(etag));
        using var response = await _http.SendAsync(request, ct);
        if (response.StatusCode == HttpStatusCode.NotModified)
            return null;
        await EnsureSuccessAsync(response, ct);
        var target = (await response.Content.ReadFromJsonAsync<AliasTarget>(Json, ct))!;
        return target with { ETag = response.Headers.ETag?.Tag };
    }

    /// <summary>Opens a version's artifact; the caller checks the bytes against <see cref="ArtifactResponse.Sha256"/> (the ETag).</summary>
    public async Task<ArtifactResponse> OpenArtifactAsync(string model, int version, CancellationToken ct = default)
    {
        using var request = Request(HttpMethod.Get, $"api/v1/models/{Escape(model)}/versions/{version}/artifact");
        var response = await _http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, ct);
        try
        {
            await EnsureSuccessAsync(response, ct);
            var sha = response.Headers.ETag?.Tag.Trim('"') ?? "";
            return new ArtifactResponse(response, await response.Content.ReadAsStreamAsync(ct), sha);
        }
        catch
        {
            response.Dispose();
            throw;
        }
    }

    /// <summary>Sends prediction records to the ingest API; a 2xx means they are durable on the server.</summary>
    public async Task<IngestResult> PostPredictionsAsync(string model, ReadOnlyMemory<byte> jsonArray, CancellationToken ct = default)
    {
        using var request = Request(HttpMethod.Post, $"api/v1/models/{Escape(model)}/predictions");
        request.Content = new ReadOnlyMemoryContent(jsonArray);
        request.Content.Headers.ContentType = new MediaTypeHeaderValue("application/json");
        using var response = await _http.SendAsync(request, ct);
        await EnsureSuccessAsync(response, ct);
        return await response.Content.ReadFromJsonAsync<IngestResult>(Json, ct) ?? new IngestResult(0, 0, null);
    }

    /// <summary>
    /// Tells the server that <paramref name="version"/> could not be downloaded, verified or loaded here, so that its
    /// owner hears of it (the version before keeps serving, which hides the failure otherwise). The server keeps one
    /// report per instance and version an hour; returns whether this one was recorded.
    /// </summary>
    public async Task<bool> ReportLoadFailureAsync(string model, int version, string? alias, string error, string? host = null, CancellationToken ct = default)
    {
        using var request = Request(HttpMethod.Post, $"api/v1/models/{Escape(model)}/versions/{version}/load-failures");
        request.Content = JsonContent.Create(new { alias, error, host = host ?? Environment.MachineName }, options: Json);
        using var response = await _http.SendAsync(request, ct);
        await EnsureSuccessAsync(response, ct);
        return (await response.Content.ReadFromJsonAsync<LoadFailureReceipt>(Json, ct))?.Recorded ?? false;
    }

    public void Dispose()
    {
        if (_ownsHttp)
            _http.Dispose();
    }

    private async Task<T> GetAsync<T>(string path, CancellationToken ct)
    {
        using var request = Request(HttpMethod.Get, path);
        using var response = await _http.SendAsync(request, ct);
        await EnsureSuccessAsync(response, ct);
        return (await response.Content.ReadFromJsonAsync<T>(Json, ct))!;
    }

    private HttpRequestMessage Request(HttpMethod method, string path)
    {
        var request = new HttpRequestMessage(method, path);
        request.Headers.Authorization = _auth;
        return request;
    }

    private static async Task EnsureSuccessAsync(HttpResponseMessage response, CancellationToken ct)
    {
        if (response.IsSuccessStatusCode)
            return;
        var detail = await response.Content.ReadAsStringAsync(ct);
        try
        {
            using var problem = JsonDocument.Parse(detail);
            if (problem.RootElement.TryGetProperty("detail", out var d) && d.GetString() is { } text)
                detail = text;
        }
        catch (JsonException)
        {
        }
        var retryAfter = response.Headers.RetryAfter is { } r ? r.Delta ?? (r.Date - DateTimeOffset.UtcNow) : null;
        throw new ControlPlaneApiException(response.StatusCode, detail, retryAfter);
    }

    private static string Escape(string segment) => Uri.EscapeDataString(segment);
}

/// <summary>An open artifact download; dispose it when read.</summary>
public sealed class ArtifactResponse(HttpResponseMessage response, Stream content, string sha256) : IDisposable
{
    public Stream Content { get; } = content;
    /// <summary>The SHA-256 the server vouches for (its ETag).</summary>
    public string Sha256 { get; } = sha256;

    public void Dispose()
    {
        Content.Dispose();
        response.Dispose();
    }
}
