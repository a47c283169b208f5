namespace ControlPlane.Domain.Datasets;

/// <summary>What a column is for when a dataset feeds an evaluation, a drift check or a training run.</summary>
public enum ColumnRole
{
    Feature,
    Label,
    Prediction,
    Timestamp,
    Id,
    Ignored,
}
