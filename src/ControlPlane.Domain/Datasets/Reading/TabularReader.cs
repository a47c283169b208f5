namespace ControlPlane.Domain.Datasets.Reading;

public static class TabularReader
{
    /// <summary>
    /// Opens <paramref name="path"/> for streaming. The file is checked up to its first data row (CSV) or its footer
    /// and schema (Parquet) here; later problems surface from <see cref="ITabularReader.ReadAsync"/>. Both throw
    /// <see cref="DataFormatException"/> for anything malformed.
    /// </summary>
    /// <param name="parseOnAllCores">
    /// Parse a big CSV file on every core (the default); false leaves the other cores to the caller (inference on the
    /// CPU), reading in order on one.
    /// </param>
    public static Task<ITabularReader> OpenAsync(
        string path, DatasetFormat format, ReadLimits? limits = null, CancellationToken ct = default, bool parseOnAllCores = true) =>
        OpenAsync(path, format, limits, parseOnAllCores ? CsvBlockOptions.Default : CsvBlockOptions.InOrder, ct);

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
