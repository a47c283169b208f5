using ControlPlane.Domain.Training;
using Microsoft.ML;
using Microsoft.ML.Data;

namespace ControlPlane.Workers.Training;

/// <summary>
/// A <see cref="TrainingTable"/> (or a subset of its rows) as an ML.NET <see cref="IDataView"/>: each feature is a
/// column of its dataset name (Single for numerical, text otherwise), then the label under its own name.
/// </summary>
internal sealed class TableDataView : IDataView
{
    private readonly TrainingTable _table;
    private readonly int[]? _rows;

    public TableDataView(TrainingTable table, int[]? rows = null)
    {
        _table = table;
        _rows = rows;
        Schema = SchemaOf(table.Definition, withLabel: true);
    }

    public DataViewSchema Schema { get; }
    public bool CanShuffle => false;
    public long? GetRowCount() => _rows?.Length ?? _table.RowCount;

    /// <summary>The model's input schema: the features alone (the saved model never asks for a label).</summary>
    public static DataViewSchema SchemaOf(TrainingDefinition definition, bool withLabel)
    {
        var builder = new DataViewSchema.Builder();
        foreach (var feature in definition.Features)
            builder.AddColumn(feature.Name, feature.Treatment == FeatureTreatment.Numerical ? NumberDataViewType.Single : TextDataViewType.Instance);
        if (withLabel)
            builder.AddColumn(definition.LabelColumn, definition.Task switch
            {
                TrainingTask.Binary => BooleanDataViewType.Instance,
                TrainingTask.Regression => NumberDataViewType.Single,
                _ => (DataViewType)TextDataViewType.Instance,
            });
        return builder.ToSchema();
    }

    public DataViewRowCursor GetRowCursor(IEnumerable<DataViewSchema.Column> columnsNeeded, Random? rand = null) => new Cursor(this);

    public DataViewRowCursor[] GetRowCursorSet(IEnumerable<DataViewSchema.Column> columnsNeeded, int n, Random? rand = null) => [new Cursor(this)];

    private sealed class Cursor(TableDataView view) : DataViewRowCursor
    {
        private readonly long _count = view.GetRowCount()!.Value;
        private long _position = -1;
        private int _row;

        public override DataViewSchema Schema => view.Schema;
        public override long Position => _position;
        public override long Batch => 0;

        public override bool MoveNext()
        {
            if (++_position >= _count)
                return false;
            _row = view._rows is { } rows ? rows[_position] : (int)_position;
            return true;
        }

        public override bool IsColumnActive(DataViewSchema.Column column) => true;

        public override ValueGetter<DataViewRowId> GetIdGetter() => (ref DataViewRowId id) => id = new DataViewRowId((ulong)_row, 0);

        public override ValueGetter<TValue> GetGetter<TValue>(DataViewSchema.Column column)
        {
            var table = view._table;
            var features = table.Definition.Features;
            Delegate getter;
            if (column.Index < features.Count)
            {
                var slot = table.Slots[column.Index];
                if (features[column.Index].Treatment == FeatureTreatment.Numerical)
                {
                    var values = table.Numbers[slot];
                    getter = (ValueGetter<float>)((ref float value) => value = values[_row]);
                }
                else
                {
                    var values = table.Texts[slot];
                    getter = (ValueGetter<ReadOnlyMemory<char>>)((ref ReadOnlyMemory<char> value) => value = values[_row].AsMemory());
                }
            }
            else
            {
                var label = table.Label;
                getter = label.Task switch
                {
                    TrainingTask.Binary => (ValueGetter<bool>)((ref bool value) => value = label.Flags[_row]),
                    TrainingTask.Regression => (ValueGetter<float>)((ref float value) => value = label.Values[_row]),
                    _ => (ValueGetter<ReadOnlyMemory<char>>)((ref ReadOnlyMemory<char> value) => value = label.Classes[_row].AsMemory()),
                };
            }
            return getter as ValueGetter<TValue> ?? throw new InvalidOperationException($"Column '{column.Name}' is {column.Type}, not {typeof(TValue).Name}.");
        }
    }
}
