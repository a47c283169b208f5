using System.Globalization;
using ControlPlane.Domain.Datasets.Reading;

namespace ControlPlane.Domain.Datasets.Profiling;

/// <summary>
/// A date/time column read as text: earliest and latest value in UTC. Values with an offset are converted to UTC and
/// values without one are taken as UTC, so the result never depends on the server's time zone. Text that does not
/// parse is invalid (and so missing).
/// </summary>
internal sealed class DateAccumulator(ProfileColumn column) : IColumnAccumulator
{
    private const DateTimeStyles Styles = DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal;

    private long _count;
    private long _missing;
    private long _invalid;
    private DateTime? _min;
    private DateTime? _max;

    public void Add(TabularBatch batch, int index)
    {
        foreach (var text in batch.Texts(index).AsSpan(0, batch.Count))
        {
            if (text is null)
            {
                _missing++;
            }
            else if (DateTime.TryParse(text, CultureInfo.InvariantCulture, Styles, out var value))
            {
                _count++;
                if (_min is null || value < _min)
                    _min = value;
                if (_max is null || value > _max)
                    _max = value;
            }
            else
            {
                _invalid++;
                _missing++;
            }
        }
    }

    public ColumnProfile ToProfile() =>
        new(column.Name, column.Type, _count, _missing, _invalid, null, null, new DateProfile(_min, _max));
}
