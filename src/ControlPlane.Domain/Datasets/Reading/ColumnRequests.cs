namespace ControlPlane.Domain.Datasets.Reading;

internal static class ColumnRequests
{
    /// <summary>The batch's requests as an array (cheap to index per cell), each naming a column the file has.</summary>
    public static ColumnRequest[] Check(TabularBatch batch, int columnCount)
    {
        var requests = batch.Columns as ColumnRequest[] ?? [.. batch.Columns];
        foreach (var request in requests)
            if (request.Ordinal < 0 || request.Ordinal >= columnCount)
                throw new ArgumentOutOfRangeException(nameof(batch), $"Column {request.Ordinal} was requested; the file has {columnCount} columns.");
        return requests;
    }
}
