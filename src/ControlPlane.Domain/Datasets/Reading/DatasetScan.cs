using ControlPlane.Domain.Datasets.Profiling;

namespace ControlPlane.Domain.Datasets.Reading;

/// <summary>What a full validating pass over an uploaded file found.</summary>
public sealed record DatasetScan(DatasetFormat Format, long RowCount, IReadOnlyList<ScannedColumn> Columns, char? Delimiter, bool HasHeader)
{
    /// <summary>
    /// When the scan was asked to profile: per column, its profile under the inferred type, or null where the file
    /// must be read again for it (CSV text and date columns, or numbers past the memory budget; Parquet profiles every
    /// column). <see cref="DatasetProfiler"/> completes it.
    /// </summary>
    public IReadOnlyList<ColumnProfile?>? Profiles { get; init; }
}

/// <summary>A column as found in the file: name, inferred type, and how many cells were missing (empty or a missing-value token).</summary>
public sealed record ScannedColumn(int Ordinal, string Name, ColumnType InferredType, long MissingCount);
