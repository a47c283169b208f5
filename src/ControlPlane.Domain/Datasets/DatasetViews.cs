using ControlPlane.Domain.Datasets.Profiling;

namespace ControlPlane.Domain.Datasets;

public sealed record DatasetSummary(
    string Name, string? Description, string Owner, IReadOnlyDictionary<string, string> Tags,
    int LatestVersion, long? LatestRowCount, DateTime CreatedAt, DateTime UpdatedAt);

public sealed record DatasetDetail(
    Guid Id, string Name, string? Description, string Owner, IReadOnlyDictionary<string, string> Tags,
    int LatestVersion, DateTime CreatedAt, DateTime UpdatedAt);

/// <summary>A version with its schema, and its profile once computed.</summary>
public sealed record DatasetVersionView(
    Guid Id, string Dataset, int Version, DatasetFormat Format, string Sha256, long Size, string FileName, long RowCount,
    string? SourceNote, IReadOnlyList<DatasetColumn> Schema, ProfileStatus ProfileStatus, double ProfileProgress,
    string? ProfileError, DatasetProfile? Profile, string CreatedBy, DateTime CreatedAt);

/// <summary>A user's change to one column of a schema: null leaves that part as it is.</summary>
public sealed record ColumnSchemaChange(string Name, ColumnType? Type, ColumnRole? Role);

/// <summary>The first rows of a file as text (null = missing), in file column order.</summary>
public sealed record DatasetPreview(IReadOnlyList<string> Columns, IReadOnlyList<IReadOnlyList<string?>> Rows);

public sealed record DatasetDownload(Stream Content, string Sha256, long Size, string FileName, DatasetFormat Format);
