namespace ControlPlane.Domain.Datasets.Reading;

/// <summary>Upper bounds a file must respect to be accepted; exceeding one is a <see cref="DataFormatException"/>.</summary>
public sealed record ReadLimits(int MaxColumns = 2_000, long MaxRows = 200_000_000)
{
    public static ReadLimits Default { get; } = new();
}
