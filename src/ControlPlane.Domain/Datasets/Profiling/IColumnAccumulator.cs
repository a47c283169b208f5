using ControlPlane.Domain.Datasets.Reading;

namespace ControlPlane.Domain.Datasets.Profiling;

/// <summary>Gathers one column's statistics batch by batch, then turns them into its profile.</summary>
internal interface IColumnAccumulator
{
    /// <summary>Adds rows [0, batch.Count) of the <paramref name="index"/>-th requested column.</summary>
    void Add(TabularBatch batch, int index);

    ColumnProfile ToProfile();
}
