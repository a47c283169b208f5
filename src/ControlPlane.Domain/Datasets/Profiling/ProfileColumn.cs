namespace ControlPlane.Domain.Datasets.Profiling;

/// <summary>A column to profile: its 0-based position in the file, the name to report, and the type that decides the statistics.</summary>
public sealed record ProfileColumn(int Ordinal, string Name, ColumnType Type);
