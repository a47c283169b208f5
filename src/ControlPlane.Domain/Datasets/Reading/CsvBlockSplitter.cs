using System.Buffers;

namespace ControlPlane.Domain.Datasets.Reading;

/// <summary>
/// Reads a CSV file from its first data row in blocks of whole rows: each block is cut after its last line break
/// outside quotes, and the rest carried into the next. Sequential and cheap (counting bytes); parsing is elsewhere.
/// </summary>
internal sealed class CsvBlockSplitter(string path, long offset, long line, CsvBlockOptions options) : IDisposable
{
    /// <summary>
    /// The largest row outside quotes a block grows to (the buffer doubles up to it): UTF-8 takes at most 4 bytes a
    /// character, so a longer row is past Sep's limit in any text.
    /// </summary>
    private const int MaxRowBytes = 4 * CsvRowCheck.MaxRowChars;

    private readonly FileStream _file = OpenAt(path, offset);
    private byte[] _carry = [];
    private int _carried;
    private long _offset = offset;
    private long _line = line;
    private bool _ended;

    public long FileLength => _file.Length;

    /// <summary>The next block, or null once the file is consumed.</summary>
    public CsvBlock? Next()
    {
        if (_ended && _carried == 0)
            return null;
        var buffer = ArrayPool<byte>.Shared.Rent(Math.Max(options.BlockBytes, _carried * 2));
        _carry.AsSpan(0, _carried).CopyTo(buffer);
        var filled = _carried;
        int cut;
        while (true)
        {
            filled = Fill(buffer, filled);
            cut = CsvLineBreaks.LastRowEnd(buffer.AsSpan(0, filled));
            if (cut > 0 || _ended)
                break;
            if (filled >= options.MaxQuotedBytes && InsideQuotes(buffer.AsSpan(0, filled)))
            {
                // A quote open this long is taken as never closed: the block's last row then reports it.
                cut = CsvLineBreaks.CharacterBoundary(buffer.AsSpan(0, filled), filled);
                break;
            }
            if (buffer.Length >= MaxRowBytes)
            {
                ArrayPool<byte>.Shared.Return(buffer);
                throw CsvRowCheck.RowTooLong(_line);
            }
            buffer = Grow(buffer, filled);
        }
        if (filled == 0)
        {
            ArrayPool<byte>.Shared.Return(buffer);
            return null;
        }
        if (cut <= 0)
            cut = filled;

        _carried = filled - cut;
        if (_carry.Length < _carried)
            _carry = new byte[Math.Max(_carried, options.BlockBytes)];
        buffer.AsSpan(cut, _carried).CopyTo(_carry);
        var block = new CsvBlock(buffer, cut, _line, _offset + cut);
        _offset += cut;
        _line += CsvLineBreaks.Count(block.Bytes);
        return block;
    }

    public void Dispose() => _file.Dispose();

    private int Fill(byte[] buffer, int filled)
    {
        int read;
        while (filled < buffer.Length && (read = _file.Read(buffer, filled, buffer.Length - filled)) > 0)
            filled += read;
        _ended |= filled < buffer.Length;
        return filled;
    }

    private static byte[] Grow(byte[] buffer, int filled)
    {
        var larger = ArrayPool<byte>.Shared.Rent(buffer.Length * 2);
        buffer.AsSpan(0, filled).CopyTo(larger);
        ArrayPool<byte>.Shared.Return(buffer);
        return larger;
    }

    private static bool InsideQuotes(ReadOnlySpan<byte> data) => data.Count((byte)'"') % 2 == 1;

    private static FileStream OpenAt(string path, long offset)
    {
        var file = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 1, FileOptions.SequentialScan);
        file.Position = offset;
        return file;
    }
}
