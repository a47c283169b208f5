using Apache.Arrow;
using ControlPlane.Domain.Common;

namespace ControlPlane.Domain.Production.Ingest;

/// <summary>
/// Typed access to the columns of an Arrow record batch by telemetry column name. A column of a type the contract does
/// not allow is a 400 for the whole body (it is wrong on every row).
/// </summary>
internal static class ArrowColumns
{
    public static Func<int, string?> Text(IArrowArray array, string name) => array switch
    {
        StringArray s => i => s.GetString(i),
        _ => throw Wrong(name, "a string (utf8) column"),
    };

    public static Func<int, double?> Number(IArrowArray array, string name) => array switch
    {
        DoubleArray d => i => d.GetValue(i),
        FloatArray f => i => f.GetValue(i),
        Int64Array l => i => l.GetValue(i),
        Int32Array n => i => n.GetValue(i),
        _ => throw Wrong(name, "a double, float or integer column"),
    };

    public static Func<int, int?> Integer(IArrowArray array, string name) => array switch
    {
        Int32Array n => i => n.GetValue(i),
        Int64Array l => i => l.GetValue(i) is { } v ? (int)Math.Clamp(v, -1, int.MaxValue) : null,
        Int16Array s => i => s.GetValue(i),
        _ => throw Wrong(name, "an integer column"),
    };

    public static Func<int, DateTime?> Time(IArrowArray array, string name) => array switch
    {
        TimestampArray t => i => t.GetTimestamp(i)?.UtcDateTime,
        _ => throw Wrong(name, "a timestamp column"),
    };

    public static Func<int, FeatureValue> Feature(IArrowArray array, string name) => array switch
    {
        DoubleArray d => i => d.GetValue(i) is { } v ? FeatureValue.Of(v) : FeatureValue.Null,
        FloatArray f => i => f.GetValue(i) is { } v ? FeatureValue.Of(v) : FeatureValue.Null,
        Int64Array l => i => l.GetValue(i) is { } v ? FeatureValue.Of(v) : FeatureValue.Null,
        Int32Array n => i => n.GetValue(i) is { } v ? FeatureValue.Of(v) : FeatureValue.Null,
        StringArray s => i => FeatureValue.Of(s.GetString(i)),
        BooleanArray b => i => b.GetValue(i) is { } v ? FeatureValue.Of(v) : FeatureValue.Null,
        _ => throw Wrong(name, "a double, float, integer, string or boolean column"),
    };

    private static ValidationException Wrong(string name, string expected) =>
        ValidationException.For(name, $"The Arrow column '{name}' must be {expected}; nothing was stored.");

    public static ValidationException Unknown(string name) =>
        ValidationException.For(name, $"'{name}' is not a telemetry column (see the ingest documentation; features are f_{{name}}); nothing was stored.");
}
