using System.Globalization;
using System.Runtime.ExceptionServices;
using System.Text;
using nietras.SeparatedValues;

namespace ControlPlane.Domain.Datasets.Reading;

/// <summary>
/// A CSV file being read in blocks: what its first rows said (names, header, delimiter), where its data rows start,
/// and how the rows of any one block are read, with the checks and line numbers of reading the file in order.
/// </summary>
internal sealed class CsvBlockFile
{
    private CsvBlockFile(CsvRows rows, long dataOffset, long dataLine)
    {
        Path = rows.Path;
        Names = rows.ColumnNames;
        HasHeader = rows.HasHeader;
        Delimiter = rows.Delimiter;
        DataOffset = dataOffset;
        DataLine = dataLine;
    }

    public delegate void RowAction(SepReader.Row row, CsvRowCheck check);

    public string Path { get; }
    public IReadOnlyList<string> Names { get; }
    public bool HasHeader { get; }
    public char Delimiter { get; }
    public long DataOffset { get; }
    public long DataLine { get; }

    /// <summary>
    /// The file as blocks when <paramref name="options"/> apply to it (big enough, several cores, line breaks blocks
    /// can be cut at); null when it is better read in order by <paramref name="rows"/>, which it was opened with.
    /// </summary>
    public static CsvBlockFile? For(CsvRows rows, CsvBlockOptions options) =>
        options.Applies(new FileInfo(rows.Path).Length) && CsvDataStart.Find(rows.Path, rows.HasHeader) is { } start
            ? new CsvBlockFile(rows, start.Offset, start.Line)
            : null;

    public CsvBlockSplitter Split(CsvBlockOptions options) => new(Path, DataOffset, DataLine, options);

    /// <summary>
    /// Calls <paramref name="onRow"/> for each data row of the block (blank lines skipped, rows checked), then releases
    /// the block. A row that fails its checks, or bytes that are not UTF-8, end the block: the failure is returned, not
    /// thrown, so that the rows before it are handed out first and a row past the limit before it is reported first,
    /// as reading in order does. <paramref name="strings"/>: the caller turns cells into strings, which Sep then pools
    /// per column.
    /// </summary>
    public Exception? ForEachRow(CsvBlock block, RowAction onRow, bool strings, CancellationToken ct)
    {
        var check = new CsvRowCheck(block.FirstLine, block.FirstLine - 1) { Names = Names, HasHeader = HasHeader };
        try
        {
            ReadRows(block, check, onRow, strings, ct);
            return null;
        }
        catch (Exception e) when (e is DataFormatException or DecoderFallbackException)
        {
            return e;
        }
        catch (NotSupportedException)
        {
            return check.RowTooLong(); // Sep's buffer limit
        }
        finally
        {
            block.Release();
        }
    }

    // The row loop, apart from the handler above: a loop inside a try/catch keeps its locals in memory.
    private void ReadRows(CsvBlock block, CsvRowCheck check, RowAction onRow, bool strings, CancellationToken ct)
    {
        using var sep = Sep.Reader(o => o with
        {
            HasHeader = false,
            Sep = new Sep(Delimiter),
            Unescape = true,
            DisableColCountCheck = true,
            CultureInfo = CultureInfo.InvariantCulture,
            CreateToString = strings ? SepToString.PoolPerCol() : SepToString.Direct,
        }).From(new Utf8BlockReader(block.Buffer, block.Length));
        var rows = 0;
        foreach (var row in sep)
        {
            if (!check.Accept(row))
                continue;
            if (++rows % 4096 == 0)
                ct.ThrowIfCancellationRequested();
            onRow(row, check);
        }
    }

    /// <summary>
    /// Throws a block's failure as a <see cref="DataFormatException"/>: bytes that are not UTF-8 are located in the
    /// file, which is read from the start for it.
    /// </summary>
    public async Task ThrowAsync(Exception failure, CancellationToken ct)
    {
        if (failure is DecoderFallbackException)
            throw await Utf8Errors.LocateAsync(Path, ct);
        ExceptionDispatchInfo.Throw(failure);
    }
}
