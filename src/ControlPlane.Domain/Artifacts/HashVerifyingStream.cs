using System.Security.Cryptography;

namespace ControlPlane.Domain.Artifacts;

/// <summary>Hashes what is read and throws at the end when the bytes are not the ones that were stored.</summary>
public sealed class HashVerifyingStream(Stream inner, string expectedSha256) : Stream
{
    private readonly IncrementalHash _hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
    private bool _checked;

    public override bool CanRead => true;
    public override bool CanSeek => false;
    public override bool CanWrite => false;
    public override long Length => inner.Length;
    public override long Position { get => inner.Position; set => throw new NotSupportedException(); }

    public override int Read(byte[] buffer, int offset, int count) => Check(buffer.AsSpan(offset, inner.Read(buffer, offset, count)));

    public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
    {
        var read = await inner.ReadAsync(buffer, cancellationToken);
        return Check(buffer.Span[..read]);
    }

    public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
        ReadAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

    private int Check(ReadOnlySpan<byte> read)
    {
        if (read.Length > 0)
        {
            _hash.AppendData(read);
            return read.Length;
        }
        if (!_checked)
        {
            _checked = true;
            var actual = Convert.ToHexStringLower(_hash.GetHashAndReset());
            if (actual != expectedSha256)
                throw new InvalidDataException($"The stored artifact is corrupt: expected SHA-256 {expectedSha256}, read {actual}.");
        }
        return 0;
    }

    public override void Flush() { }
    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
    public override void SetLength(long value) => throw new NotSupportedException();
    public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();

    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            inner.Dispose();
            _hash.Dispose();
        }
        base.Dispose(disposing);
    }
}
