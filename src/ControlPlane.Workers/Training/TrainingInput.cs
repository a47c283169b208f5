using ControlPlane.Domain.Datasets;
using ControlPlane.Domain.Training;

namespace ControlPlane.Workers.Training;

/// <summary>What one training needs: the data file with its schema, and the checked definition.</summary>
public sealed record TrainingInput(string DataPath, DatasetFormat Format, IReadOnlyList<DatasetColumn> Schema, TrainingDefinition Definition)
{
    /// <summary>Rows per read from the shared reader.</summary>
    public int BatchSize { get; init; } = 65_536;
}
