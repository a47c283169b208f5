namespace ControlPlane.Domain.Datasets.Reading;

public static class TabularReader
{
    /// <summary>
    /// Opens <paramref name="path"/> for streaming. The file is checked up to its first data row (CSV) or its footer
    /// and schema (Parquet) here; later problems surface from <see cref="ITabularReader.ReadAsync"/>. Both throw
    /// <see cref="DataFormatException"/> for anything malformed.
    /// </summary>
    public static async Task<ITabularReader> OpenAsync(
        string path, DatasetFormat format, ReadLimits? limits = null, CancellationToken ct = default)
    {
        limits ??= ReadLimits.Default;
        return format switch
        {
            DatasetFormat.Csv => await CsvTabularReader.OpenAsync(path, limits, ct),
            DatasetFormat.Parquet => await ParquetTabularReader.OpenAsync(path, limits, ct),
            _ => throw new ArgumentOutOfRangeException(nameof(format), format, "Unknown dataset format."),
        };
    }
}
