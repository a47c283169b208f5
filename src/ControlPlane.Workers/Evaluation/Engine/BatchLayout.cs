using ControlPlane.Domain.Datasets.Reading;

namespace ControlPlane.Workers.Evaluation.Engine;

/// <summary>The columns one evaluation reads from the file, each once per read mode, found by name in the file's header.</summary>
internal sealed class BatchLayout(IReadOnlyList<string> fileColumns)
{
    private readonly List<ColumnRequest> _requests = [];

    public ColumnRequest[] Requests => [.. _requests];

    /// <summary>The index of <paramref name="column"/> in the batch, adding it on first use.</summary>
    public int Request(string column, ColumnReadAs readAs)
    {
        var ordinal = IndexOf(column);
        var request = new ColumnRequest(ordinal, readAs);
        var index = _requests.IndexOf(request);
        if (index >= 0)
            return index;
        _requests.Add(request);
        return _requests.Count - 1;
    }

    private int IndexOf(string column)
    {
        for (var i = 0; i < fileColumns.Count; i++)
            if (string.Equals(fileColumns[i], column, StringComparison.Ordinal))
                return i;
        for (var i = 0; i < fileColumns.Count; i++)
            if (string.Equals(fileColumns[i], column, StringComparison.OrdinalIgnoreCase))
                return i;
        throw new EvaluationInputException($"The data file has no column '{column}'.");
    }
}
