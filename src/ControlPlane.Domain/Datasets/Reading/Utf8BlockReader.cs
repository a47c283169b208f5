using System.Buffers;
using System.Text;
using System.Text.Unicode;

namespace ControlPlane.Domain.Datasets.Reading;

/// <summary>
/// A <see cref="TextReader"/> that decodes a block's UTF-8 bytes straight into the reader's buffer, strictly: a byte
/// sequence that is not UTF-8 throws <see cref="DecoderFallbackException"/>. No decoded copy of the block is made.
/// </summary>
internal sealed class Utf8BlockReader(byte[] bytes, int length) : TextReader
{
    private int _position;
    private char _pending = '\0';
    private bool _hasPending;

    public override int Peek()
    {
        Span<char> one = stackalloc char[1];
        if (Read(one) == 0)
            return -1;
        (_pending, _hasPending) = (one[0], true);
        return one[0];
    }

    public override int Read()
    {
        Span<char> one = stackalloc char[1];
        return Read(one) == 0 ? -1 : one[0];
    }

    public override int Read(char[] buffer, int index, int count) => Read(buffer.AsSpan(index, count));

    public override int Read(Span<char> buffer)
    {
        if (buffer.IsEmpty)
            return 0;
        var written = 0;
        if (_hasPending)
        {
            buffer[written++] = _pending;
            _hasPending = false;
        }
        if (_position == length || written == buffer.Length)
            return written;

        var status = Utf8.ToUtf16(bytes.AsSpan(_position, length - _position), buffer[written..], out var read, out var decoded, replaceInvalidSequences: false);
        _position += read;
        written += decoded;
        if (status == OperationStatus.InvalidData)
            throw new DecoderFallbackException();
        if (written == 0 && status == OperationStatus.DestinationTooSmall)
        {
            // One char of room and a character that needs two (a surrogate pair): hand out the first, keep the second.
            Span<char> pair = stackalloc char[2];
            Utf8.ToUtf16(bytes.AsSpan(_position, length - _position), pair, out read, out _, replaceInvalidSequences: false);
            _position += read;
            buffer[0] = pair[0];
            (_pending, _hasPending) = (pair[1], true);
            written = 1;
        }
        return written;
    }
}
