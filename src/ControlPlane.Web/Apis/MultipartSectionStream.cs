using ControlPlane.Domain.Common;

namespace ControlPlane.Web.Apis;

/// <summary>
/// A multipart section's body whose read failures (a body that ends early, a broken boundary) are the client's malformed
/// request: a 400, not an <see cref="IOException"/> that would surface as a 500. Size limits keep their own status (413).
/// </summary>
internal sealed class MultipartSectionStream(Stream inner) : ReadOnlyWrapperStream(inner)
{
    public override int Read(byte[] buffer, int offset, int count)
    {
        try
        {
            return Inner.Read(buffer, offset, count);
        }
        catch (Exception e) when (IsMalformed(e))
        {
            throw Malformed(e);
        }
    }

    public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
    {
        try
        {
            return await Inner.ReadAsync(buffer, cancellationToken);
        }
        catch (Exception e) when (IsMalformed(e))
        {
            throw Malformed(e);
        }
    }

    public static bool IsMalformed(Exception e) => e is InvalidDataException || e is IOException and not BadHttpRequestException;

    public static ValidationException Malformed(Exception e) =>
        new($"The multipart body is malformed: {e.Message}", new Dictionary<string, string[]> { ["body"] = ["The multipart/form-data body could not be read."] });
}
