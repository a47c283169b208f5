using System.IO.MemoryMappedFiles;

namespace ControlPlane.Workers.Inspection;

/// <summary>Reads a file through a memory map: the OS pages it in on demand instead of the process copying it whole.</summary>
internal static class MappedFile
{
    public delegate T SpanReader<out T>(ReadOnlySpan<byte> bytes);

    public static unsafe T Read<T>(string path, SpanReader<T> read)
    {
        var length = new FileInfo(path).Length;
        if (length > int.MaxValue)
            throw new InvalidDataException("Protobuf messages, and so self-contained ONNX models, are limited to 2 GiB.");
        using var map = MemoryMappedFile.CreateFromFile(path, FileMode.Open, null, 0, MemoryMappedFileAccess.Read);
        using var view = map.CreateViewAccessor(0, length, MemoryMappedFileAccess.Read);
        byte* pointer = null;
        view.SafeMemoryMappedViewHandle.AcquirePointer(ref pointer);
        try
        {
            return read(new ReadOnlySpan<byte>(pointer + view.PointerOffset, (int)length));
        }
        finally
        {
            view.SafeMemoryMappedViewHandle.ReleasePointer();
        }
    }
}
