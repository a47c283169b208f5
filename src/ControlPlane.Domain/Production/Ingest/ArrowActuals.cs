using Apache.Arrow;
using static ControlPlane.Domain.Production.TelemetryColumns;

namespace ControlPlane.Domain.Production.Ingest;

/// <summary>Actuals from an Arrow IPC stream: prediction_id, ts and actual (string, number or boolean).</summary>
internal static class ArrowActuals
{
    public static void Read(ReadOnlyMemory<byte> body, ActualBatch batch)
    {
        var draft = new ActualDraft();
        var row = 0;
        foreach (var records in ArrowBodies.Batches(body))
        {
            Func<int, string?>? id = null;
            Func<int, DateTime?>? ts = null;
            Action<int>? actual = null;
            var fields = records.Schema.FieldsList;
            for (var c = 0; c < fields.Count; c++)
            {
                var name = fields[c].Name;
                var array = records.Column(c);
                switch (name)
                {
                    case PredictionId: id = ArrowColumns.Text(array, name); break;
                    case Timestamp: ts = ArrowColumns.Time(array, name); break;
                    case Actual: actual = ActualOf(array, draft); break;
                    default: throw ArrowColumns.Unknown(name);
                }
            }
            for (var i = 0; i < records.Length; i++)
            {
                draft.Reset(++row);
                draft.PredictionId = id?.Invoke(i);
                draft.Timestamp = ts?.Invoke(i);
                actual?.Invoke(i);
                batch.Add(draft);
            }
        }
    }

    private static Action<int> ActualOf(IArrowArray array, ActualDraft draft)
    {
        if (array is BooleanArray b)
            return i => draft.Actual = b.GetValue(i) is { } v ? (v ? "true" : "false") : null;
        if (array is StringArray s)
            return i => { if (s.GetString(i) is { } text) ActualText.Set(draft, text); };
        var number = ArrowColumns.Number(array, Actual);
        return i => { if (number(i) is { } v) ActualText.Set(draft, v); };
    }
}
