using System.Globalization;
using System.Text;
using nietras.SeparatedValues;

namespace ControlPlane.Domain.Datasets.Reading;

/// <summary>
/// The data rows of a CSV file, validated as they stream past: strict UTF-8 (with or without BOM), a header or
/// <c>column_N</c> names, the header's field count on every row, no unterminated quote, within the limits.
/// Blank lines are skipped. Sep parses (separator auto-detected, quotes unescaped); the checks are ours so that every
/// message names the line and column.
/// </summary>
internal sealed class CsvRows : IDisposable
{
    private static readonly UTF8Encoding StrictUtf8 = new(encoderShouldEmitUTF8Identifier: true, throwOnInvalidBytes: true);

    private readonly string _path;
    private readonly ReadLimits _limits;
    private readonly FileStream _file;
    private readonly StreamReader _text;
    private SepReader? _sep;
    private string[]? _names;
    private int _skippedLines;
    private CsvRowCheck? _check;
    private bool _firstRowPending;
    private long _rowCount;

    private CsvRows(string path, ReadLimits limits)
    {
        _path = path;
        _limits = limits;
        _file = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 16, FileOptions.SequentialScan);
        // Given a UTF-8 encoding with a preamble, StreamReader skips a BOM when present and needs none.
        _text = new StreamReader(_file, StrictUtf8, detectEncodingFromByteOrderMarks: false, 1 << 16);
    }

    public string Path => _path;
    public IReadOnlyList<string> ColumnNames => _names!;
    public bool HasHeader { get; private set; }
    public char Delimiter => _sep!.Spec.Sep.Separator;

    /// <summary>Whether a cell of the current row may hold a comma: it is quoted, or commas do not delimit.</summary>
    public bool CommasPossible => Delimiter != ',' || _check!.Quoted;

    /// <summary>1-based line where the current row starts.</summary>
    public long Line { get; private set; }

    public SepReader.Row Current => _sep!.Current;
    public double Progress => Math.Min(1, (double)_file.Position / _file.Length);

    /// <summary>Opens the file and reads up to its first data row, so an empty or header-only file fails here.</summary>
    public static async Task<CsvRows> OpenAsync(string path, ReadLimits limits, CancellationToken ct)
    {
        var rows = new CsvRows(path, limits);
        try
        {
            await rows.StartAsync(ct);
            return rows;
        }
        catch
        {
            rows.Dispose();
            throw;
        }
    }

    /// <summary>
    /// The row loop the readers use: synchronous, because awaiting per row costs more than the parsing itself
    /// (a local file read through a buffered reader blocks only when the buffer refills).
    /// </summary>
    public bool MoveNext()
    {
        if (_firstRowPending)
        {
            _firstRowPending = false;
            return true;
        }
        while (true)
        {
            bool more;
            try
            {
                more = _sep!.MoveNext();
            }
            catch (DecoderFallbackException)
            {
                throw Utf8Errors.LocateAsync(_path, CancellationToken.None).GetAwaiter().GetResult();
            }
            catch (NotSupportedException)
            {
                throw _check!.RowTooLong();
            }
            if (!more)
                return false;
            if (Accept(Current))
                return true;
        }
    }

    public void Dispose()
    {
        _sep?.Dispose();
        _text.Dispose();
        _file.Dispose();
    }

    private async Task StartAsync(CancellationToken ct)
    {
        if (await IsBlankAsync(ct))
            throw new DataFormatException("The file is empty.");
        try
        {
            // Sep detects the separator from the first row it sees, so blank lines must not come first.
            _skippedLines = SkipBlankLines();
            _sep = await Sep.Reader(o => o with
            {
                HasHeader = false,
                Unescape = true,
                DisableColCountCheck = true,
                CultureInfo = CultureInfo.InvariantCulture,
                CreateToString = SepToString.PoolPerCol(),
            }).FromAsync(_text, ct);
        }
        catch (DecoderFallbackException)
        {
            throw await Utf8Errors.LocateAsync(_path, ct);
        }
        _check = new CsvRowCheck(firstLine: 1 + _skippedLines, lineOffset: _skippedLines);
        if (!await AdvanceAsync(ct))
            throw new DataFormatException("The file is empty.");

        var header = CsvHeader.Read(Current, Line, _limits);
        HasHeader = header is not null;
        _names = header ?? CsvHeader.DefaultNames(Current.ColCount);
        (_check.Names, _check.HasHeader) = (_names, HasHeader);
        if (HasHeader && !await AdvanceAsync(ct))
            throw new DataFormatException("The file has a header but no data rows.", Line);
        if (!HasHeader)
            CountRow();
        _firstRowPending = true;
    }

    private async ValueTask<bool> AdvanceAsync(CancellationToken ct)
    {
        while (true)
        {
            bool more;
            try
            {
                more = await _sep!.MoveNextAsync(ct);
            }
            catch (DecoderFallbackException)
            {
                throw await Utf8Errors.LocateAsync(_path, ct);
            }
            catch (NotSupportedException)
            {
                throw _check!.RowTooLong();
            }
            if (!more)
                return false;
            if (Accept(Current))
                return true;
        }
    }

    private bool Accept(SepReader.Row row)
    {
        if (!_check!.Accept(row))
            return false;
        Line = _check.Line;
        if (_names is not null)
            CountRow();
        return true;
    }

    private void CountRow()
    {
        if (++_rowCount > _limits.MaxRows)
            throw CsvRowCheck.TooManyRows(Line, _limits.MaxRows);
    }

    private async Task<bool> IsBlankAsync(CancellationToken ct)
    {
        var buffer = new byte[1 << 14];
        int read;
        var first = true;
        while ((read = await _file.ReadAsync(buffer, ct)) > 0)
        {
            var chunk = buffer.AsSpan(0, read);
            if (first && chunk.StartsWith(StrictUtf8.Preamble))
                chunk = chunk[StrictUtf8.Preamble.Length..];
            first = false;
            if (chunk.IndexOfAnyExcept(" \t\r\n"u8) >= 0)
            {
                _file.Position = 0;
                return false;
            }
        }
        return true;
    }

    private int SkipBlankLines()
    {
        var lines = 0;
        while (_text.Peek() is '\r' or '\n')
        {
            if (_text.Read() == '\r' && _text.Peek() == '\n')
                _text.Read();
            lines++;
        }
        return lines;
    }
}
