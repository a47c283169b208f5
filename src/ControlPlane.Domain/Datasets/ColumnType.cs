namespace ControlPlane.Domain.Datasets;

/// <summary>What the values of a column are; inferred on upload, overridable by the user.</summary>
public enum ColumnType
{
    Numerical,
    Categorical,
    Boolean,
    DateTime,
    Text,
}
