using ControlPlane.Domain.Common;

namespace ControlPlane.Domain.Datasets.Reading;

/// <summary>A data file that cannot be read as sent (400); says where: 1-based line (CSV) and column name or position.</summary>
public sealed class DataFormatException(string message, long? line = null, string? column = null)
    : DomainException("The data file cannot be read.", message)
{
    public long? Line { get; } = line;
    public string? Column { get; } = column;
}
