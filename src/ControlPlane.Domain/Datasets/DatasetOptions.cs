namespace ControlPlane.Domain.Datasets;

/// <summary>Bound from <c>ControlPlane:Datasets</c>.</summary>
public sealed class DatasetOptions
{
    public const string Section = "ControlPlane:Datasets";

    public long MaxUploadBytes { get; set; } = 5L * 1024 * 1024 * 1024;

    public int MaxColumns { get; set; } = 2_000;

    public long MaxRows { get; set; } = 200_000_000;

    /// <summary>Most rows a Parquet row group may hold: each is decoded whole, so this bounds a read's memory.</summary>
    public long MaxRowGroupRows { get; set; } = 1 << 23;

    /// <summary>Files up to this size are profiled during the upload request; bigger ones by a background job.</summary>
    public long InlineProfileMaxBytes { get; set; } = 16L * 1024 * 1024;

    /// <summary>Most rows a preview returns.</summary>
    public int MaxPreviewRows { get; set; } = 1_000;
}
