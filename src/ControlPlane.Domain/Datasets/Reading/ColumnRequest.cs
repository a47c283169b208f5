namespace ControlPlane.Domain.Datasets.Reading;

public enum ColumnReadAs
{
    /// <summary>Finite doubles; missing, unparseable and non-finite cells become NaN. Booleans read as 1/0.</summary>
    Number,
    /// <summary>Strings as written (CSV) or formatted with the invariant culture (Parquet); missing cells are null.</summary>
    Text,
}

/// <summary>One column a caller wants from a reader: its 0-based position in the file and how to read it.</summary>
public readonly record struct ColumnRequest(int Ordinal, ColumnReadAs As);
