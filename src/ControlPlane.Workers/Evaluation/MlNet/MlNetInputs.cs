using ControlPlane.Domain.Datasets.Reading;
using ControlPlane.Workers.Evaluation.Engine;
using Microsoft.ML;
using Microsoft.ML.Data;

namespace ControlPlane.Workers.Evaluation.MlNet;

/// <summary>
/// Which dataset column feeds each column of an ML.NET model's input schema: the column of its name, as the
/// compatibility check pairs them, read as a number or as text by the model's type. Missing values are counted as the
/// ONNX engine counts them: NaN into Single and Double columns, "" into text columns.
/// </summary>
internal sealed class MlNetInputs
{
    public enum Feed { Unsupported, Single, Double, Boolean, Int32, Int64, Text }

    private readonly (string Column, int Request, bool Text)[] _counted;
    private readonly long[] _missing;

    private MlNetInputs(int[] requests, (string, int, bool)[] counted)
    {
        Requests = requests;
        _counted = counted;
        _missing = new long[counted.Length];
    }

    /// <summary>The batch request read by each column of the schema, by column index.</summary>
    public int[] Requests { get; }

    public static Feed Kind(DataViewType type) => type switch
    {
        _ when type == NumberDataViewType.Single => Feed.Single,
        _ when type == NumberDataViewType.Double => Feed.Double,
        _ when type == NumberDataViewType.Int32 => Feed.Int32,
        _ when type == NumberDataViewType.Int64 => Feed.Int64,
        BooleanDataViewType => Feed.Boolean,
        TextDataViewType => Feed.Text,
        _ => Feed.Unsupported,
    };

    public static MlNetInputs Plan(DataViewSchema schema, BatchLayout layout)
    {
        var requests = new int[schema.Count];
        var counted = new List<(string, int, bool)>();
        foreach (var column in schema)
        {
            var feed = Kind(column.Type);
            if (feed == Feed.Unsupported)
                throw new EvaluationInputException(
                    $"The model's input column '{column.Name}' is {column.Type}; a dataset column feeds Single, Double, Boolean, Int32, Int64 and text inputs.");
            requests[column.Index] = layout.Request(column.Name, feed == Feed.Text ? ColumnReadAs.Text : ColumnReadAs.Number);
            if (!column.IsHidden && feed is Feed.Single or Feed.Double or Feed.Text)
                counted.Add((column.Name, requests[column.Index], feed == Feed.Text));
        }
        return new MlNetInputs(requests, [.. counted]);
    }

    public void CountMissing(TabularBatch rows)
    {
        for (var c = 0; c < _counted.Length; c++)
        {
            var (_, request, text) = _counted[c];
            if (text)
                _missing[c] += rows.Texts(request).AsSpan(0, rows.Count).Count((string?)null);
            else
                foreach (var value in rows.Numbers(request).AsSpan(0, rows.Count))
                    _missing[c] += double.IsNaN(value) ? 1 : 0;
        }
    }

    public IReadOnlyDictionary<string, long> Missing() =>
        _counted.Select((c, i) => (c.Column, Count: _missing[i])).Where(c => c.Count > 0).ToDictionary(c => c.Column, c => c.Count, StringComparer.Ordinal);
}
