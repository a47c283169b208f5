namespace ControlPlane.Domain.Datasets.Reading;

public static class DatasetFormats
{
    /// <summary>Parquet when the file starts with the Parquet magic bytes <c>PAR1</c>; CSV otherwise.</summary>
    public static DatasetFormat Detect(string path)
    {
        Span<byte> head = stackalloc byte[4];
        using var file = File.OpenRead(path);
        var read = file.ReadAtLeast(head, head.Length, throwOnEndOfStream: false);
        return read == head.Length && head.SequenceEqual("PAR1"u8) ? DatasetFormat.Parquet : DatasetFormat.Csv;
    }
}
