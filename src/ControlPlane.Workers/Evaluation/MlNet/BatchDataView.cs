using ControlPlane.Domain.Datasets.Reading;
using ControlPlane.Workers.Evaluation.Engine;
using Microsoft.ML;
using Microsoft.ML.Data;

namespace ControlPlane.Workers.Evaluation.MlNet;

/// <summary>
/// The rows of one read batch as an ML.NET <see cref="IDataView"/> with the model's input schema, so a transformer
/// built once scores batch after batch: each cursor yields the rows of <see cref="Rows"/> as it is when the cursor
/// opens. Column i of the schema reads request <c>requests[i]</c> of the batch (see <see cref="MlNetInputs"/>).
/// Without rows it is an empty view of the schema, which is all ONNX conversion needs.
/// </summary>
internal sealed class BatchDataView(DataViewSchema schema, int[] requests) : IDataView
{
    public static BatchDataView Empty(DataViewSchema schema) => new(schema, new int[schema.Count]);

    public TabularBatch? Rows { get; set; }

    public DataViewSchema Schema => schema;

    public bool CanShuffle => false;

    public long? GetRowCount() => Rows?.Count ?? 0;

    public DataViewRowCursor GetRowCursor(IEnumerable<DataViewSchema.Column> columnsNeeded, Random? rand = null) => new Cursor(schema, requests, Rows);

    public DataViewRowCursor[] GetRowCursorSet(IEnumerable<DataViewSchema.Column> columnsNeeded, int n, Random? rand = null) =>
        [GetRowCursor(columnsNeeded, rand)];

    private sealed class Cursor(DataViewSchema schema, int[] requests, TabularBatch? rows) : DataViewRowCursor
    {
        private int _row = -1;

        public override DataViewSchema Schema => schema;
        public override long Position => _row;
        public override long Batch => 0;

        public override bool MoveNext() => ++_row < (rows?.Count ?? 0);

        public override bool IsColumnActive(DataViewSchema.Column column) => true;

        public override ValueGetter<DataViewRowId> GetIdGetter() => (ref DataViewRowId id) => id = new DataViewRowId((ulong)(rows!.FirstRow + _row), 0);

        public override ValueGetter<TValue> GetGetter<TValue>(DataViewSchema.Column column)
        {
            var request = requests[column.Index];
            Delegate getter = MlNetInputs.Kind(column.Type) switch
            {
                MlNetInputs.Feed.Single => (ValueGetter<float>)((ref float value) => value = (float)rows!.Numbers(request)[_row]),
                MlNetInputs.Feed.Double => (ValueGetter<double>)((ref double value) => value = rows!.Numbers(request)[_row]),
                MlNetInputs.Feed.Boolean => (ValueGetter<bool>)((ref bool value) => value = Present(column) != 0),
                MlNetInputs.Feed.Int32 => (ValueGetter<int>)((ref int value) => value = (int)Whole(column, int.MaxValue)),
                MlNetInputs.Feed.Int64 => (ValueGetter<long>)((ref long value) => value = (long)Whole(column, 9.2e18)),
                MlNetInputs.Feed.Text => (ValueGetter<ReadOnlyMemory<char>>)((ref ReadOnlyMemory<char> value) => value = (rows!.Texts(request)[_row] ?? "").AsMemory()),
                _ => throw new InvalidOperationException($"Column '{column.Name}' ({column.Type}) cannot be fed from a dataset."),
            };
            return getter as ValueGetter<TValue>
                ?? throw new InvalidOperationException($"Column '{column.Name}' is {column.Type}; it has no {typeof(TValue).Name} getter.");
        }

        private double Present(DataViewSchema.Column column)
        {
            var value = rows!.Numbers(requests[column.Index])[_row];
            return double.IsNaN(value) ? throw Refused(column, "is missing, and the model cannot take a missing value there") : value;
        }

        private double Whole(DataViewSchema.Column column, double limit)
        {
            var value = Present(column);
            return value == Math.Floor(value) && Math.Abs(value) <= limit ? value : throw Refused(column, $"is {value}, and the model takes whole numbers there");
        }

        private EvaluationInputException Refused(DataViewSchema.Column column, string what) =>
            new($"Column '{column.Name}' at data row {rows!.FirstRow + _row + 1} {what} ({column.Type}).");
    }
}
