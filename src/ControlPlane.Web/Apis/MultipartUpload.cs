using System.Text;
using ControlPlane.Domain.Artifacts;
using ControlPlane.Domain.Common;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.AspNetCore.WebUtilities;
using Microsoft.Net.Http.Headers;

namespace ControlPlane.Web.Apis;

/// <summary>
/// A multipart/form-data request read section by section: the 'file' part streams straight into the staging area
/// (never whole into memory), small text parts (≤ 1 MiB) are kept by name. Dispose to drop a file nobody published.
/// </summary>
internal sealed class MultipartUpload : IAsyncDisposable
{
    private const int MaxFieldBytes = 1024 * 1024;

    public StagedArtifact? File { get; private set; }
    public string? FileName { get; private set; }
    public Dictionary<string, string> Fields { get; } = new(StringComparer.Ordinal);

    public static async Task<MultipartUpload> ReadAsync(HttpContext http, long maxFileBytes,
        Func<Stream, CancellationToken, Task<StagedArtifact>> stage, string usage, CancellationToken ct)
    {
        if (http.Features.Get<IHttpMaxRequestBodySizeFeature>() is { IsReadOnly: false } size)
            size.MaxRequestBodySize = maxFileBytes + MaxFieldBytes * 4L;
        var boundary = MediaTypeHeaderValue.TryParse(http.Request.ContentType, out var type) && type.MediaType.Equals("multipart/form-data", StringComparison.OrdinalIgnoreCase)
            ? HeaderUtilities.RemoveQuotes(type.Boundary).Value : null;
        if (string.IsNullOrEmpty(boundary))
            throw new ValidationException($"Send multipart/form-data with {usage}.");

        var reader = new MultipartReader(boundary, http.Request.Body) { BodyLengthLimit = maxFileBytes + MaxFieldBytes };
        var upload = new MultipartUpload();
        try
        {
            while (await NextSectionAsync(reader, ct) is { } section)
            {
                var disposition = ContentDisposition(section);
                var name = disposition?.Name.Value;
                var body = new MultipartSectionStream(section.Body);
                if (name == "file" && upload.File is null)
                {
                    upload.FileName = disposition!.FileName.Value ?? disposition.FileNameStar.Value;
                    upload.File = await stage(body, ct);
                }
                else if (name is not null && name != "file")
                    upload.Fields[name] = await ReadFieldAsync(name, body, ct);
                else
                    await body.DrainAsync(ct);
            }
            if (upload.File is null)
                throw new ValidationException("The request has no 'file' part.", new Dictionary<string, string[]> { ["file"] = ["Attach the file as 'file'."] });
            return upload;
        }
        catch
        {
            await upload.DisposeAsync();
            throw;
        }
    }

    /// <summary>The next part; headers that end early, a stray header line or too many headers are a 400.</summary>
    private static async Task<MultipartSection?> NextSectionAsync(MultipartReader reader, CancellationToken ct)
    {
        try
        {
            return await reader.ReadNextSectionAsync(ct);
        }
        catch (Exception e) when (MultipartSectionStream.IsMalformed(e))
        {
            throw MultipartSectionStream.Malformed(e);
        }
    }

    private static ContentDispositionHeaderValue? ContentDisposition(MultipartSection section) =>
        section.ContentDisposition is null ? null
        : ContentDispositionHeaderValue.TryParse(section.ContentDisposition, out var parsed) ? parsed
        : throw ValidationException.For("body", "A part's Content-Disposition header cannot be read.");

    public async ValueTask DisposeAsync()
    {
        if (File is not null)
            await File.DisposeAsync();
    }

    private static async Task<string> ReadFieldAsync(string name, Stream body, CancellationToken ct)
    {
        var buffer = new byte[MaxFieldBytes + 1];
        var length = await body.ReadAtLeastAsync(buffer, buffer.Length, throwOnEndOfStream: false, ct);
        if (length > MaxFieldBytes)
            throw new ValidationException($"The '{name}' part is larger than 1 MiB.");
        return Encoding.UTF8.GetString(buffer, 0, length);
    }
}
