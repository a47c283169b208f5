using ControlPlane.Domain.Common;

namespace ControlPlane.Web.Apis;

/// <summary>
/// A multipart section's body whose read failures (a body that ends early, a broken boundary) are the client's malformed
/// request: a 400, not an <see cref="IOException"/> that would surface as a 500. Size limits keep their own status (413).
/// </summary>
internal sealed class MultipartSectionStream(Stream inner) : Stream
{
    public override bool CanRead => true;
    public override bool CanSeek => false;
    public override bool CanWrite => false;
    public override long Length => throw new NotSupportedException();
    public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }

    public override int Read(byte[] buffer, int offset, int count) => Guard(() => inner.Read(buffer, offset, count));

    public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
    {
        try
        {
            return await inner.ReadAsync(buffer, cancellationToken);
        }
        catch (Exception e) when (IsMalformed(e))
        {
            throw Malformed(e);
        }
    }

    public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
        ReadAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

    public override void Flush() { }
    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
    public override void SetLength(long value) => throw new NotSupportedException();
    public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();

    public static bool IsMalformed(Exception e) => e is InvalidDataException || e is IOException and not BadHttpRequestException;

    public static ValidationException Malformed(Exception e) =>
        new($"The multipart body is malformed: {e.Message}", new Dictionary<string, string[]> { ["body"] = ["The multipart/form-data body could not be read."] });

    private static int Guard(Func<int> read)
    {
        try
        {
            return read();
        }
        catch (Exception e) when (IsMalformed(e))
        {
            throw Malformed(e);
        }
    }
}
