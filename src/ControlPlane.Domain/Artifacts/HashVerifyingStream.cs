using System.Security.Cryptography;
using ControlPlane.Domain.Common;

namespace ControlPlane.Domain.Artifacts;

/// <summary>Hashes what is read and throws at the end when the bytes are not the ones that were stored.</summary>
public sealed class HashVerifyingStream(Stream inner, string expectedSha256) : ReadOnlyWrapperStream(inner)
{
    private readonly IncrementalHash _hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
    private bool _checked;

    public override int Read(byte[] buffer, int offset, int count) => Check(buffer.AsSpan(offset, Inner.Read(buffer, offset, count)));

    public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
    {
        var read = await Inner.ReadAsync(buffer, cancellationToken);
        return Check(buffer.Span[..read]);
    }

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
                throw Mismatch(expectedSha256, actual);
        }
        return 0;
    }

    public static InvalidDataException Mismatch(string expected, string actual) =>
        new($"The stored artifact is corrupt: expected SHA-256 {expected}, read {actual}.");

    protected override void Dispose(bool disposing)
    {
        if (disposing)
            _hash.Dispose();
        base.Dispose(disposing);
    }
}
