namespace ControlPlane.Domain.Datasets.Reading;

/// <summary>
/// Streams a CSV or Parquet file in column-oriented batches; evaluation, drift, profiling and training all read
/// through it. Never holds more than one batch (CSV) or one row group (Parquet) of the file in memory.
/// </summary>
public interface ITabularReader : IDisposable
{
    DatasetFormat Format { get; }

    /// <summary>Column names in file order.</summary>
    IReadOnlyList<string> ColumnNames { get; }

    /// <summary>Rows in the file when the format knows it up front (Parquet); null for CSV.</summary>
    long? RowCount { get; }

    /// <summary>Fraction of the file consumed so far, in [0, 1], for progress reporting.</summary>
    double Progress { get; }

    /// <summary>Fills <paramref name="batch"/> with the next rows; false once no rows remain (the batch is then empty).</summary>
    ValueTask<bool> ReadAsync(TabularBatch batch, CancellationToken ct = default);
}
