namespace ControlPlane.Domain.Datasets;

public enum DatasetFormat
{
    Csv,
    Parquet,
}
