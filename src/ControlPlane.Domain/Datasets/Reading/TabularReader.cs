namespace ControlPlane.Domain.Datasets.Reading;

public static class TabularReader
{
    /// <summary>
    /// Opens <paramref name="path"/> for streaming. The file is checked up to its first data row (CSV) or its footer
    /// and schema (Parquet) here; later problems surface from <see cref="ITabularReader.ReadAsync"/>. Both throw
    /// <see cref="DataFormatException"/> for anything malformed.
    /// </summary>
    public static Task<ITabularReader> OpenAsync(
        string path, DatasetFormat format, ReadLimits? limits = null, CancellationToken ct = default) =>
        OpenAsync(path, format, limits, CsvBlockOptions.Default, ct);

    /// <param name="blocks">When and how a big CSV file is parsed on several cores.</param>
    internal static async Task<ITabularReader> OpenAsync(
        string path, DatasetFormat format, ReadLimits? limits, CsvBlockOptions blocks, CancellationToken ct)
    {
        limits ??= ReadLimits.Default;
        return format switch
        {
            DatasetFormat.Csv => await CsvBlockTabularReader.OpenAsync(path, limits, blocks, ct),
            DatasetFormat.Parquet => await ParquetTabularReader.OpenAsync(path, limits, ct),
            _ => throw new ArgumentOutOfRangeException(nameof(format), format, "Unknown dataset format."),
        };
    }
}
