namespace ControlPlane.Domain.Production.Ingest;

internal enum ValueKind : byte
{
    Absent,
    Null,
    Number,
    Text,
    Bool,
}

/// <summary>A feature value as the client sent it, before it is checked against the version's feature type.</summary>
internal readonly record struct FeatureValue(ValueKind Kind, double Number = 0, string? Text = null, bool Bool = false)
{
    public static readonly FeatureValue Null = new(ValueKind.Null);

    public static FeatureValue Of(double number) => new(ValueKind.Number, number);

    public static FeatureValue Of(string? text) => text is null ? Null : new(ValueKind.Text, Text: text);

    public static FeatureValue Of(bool value) => new(ValueKind.Bool, Bool: value);
}
