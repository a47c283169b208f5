using System.Buffers;
using System.Text.Unicode;

namespace ControlPlane.Domain.Datasets.Reading;

internal static class Utf8Errors
{
    /// <summary>
    /// Builds the error for a file that failed to decode as UTF-8. The decoder fails somewhere in a read-ahead buffer,
    /// not at a row, so this rescans the file from the start to name the line of the first invalid byte.
    /// </summary>
    public static async Task<DataFormatException> LocateAsync(string path, CancellationToken ct)
    {
        await using var file = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 1, FileOptions.SequentialScan);
        var bytes = new byte[1 << 16];
        var chars = new char[bytes.Length];
        long line = 1, offset = 0;
        var kept = 0;
        while (true)
        {
            var read = await file.ReadAsync(bytes.AsMemory(kept), ct);
            var available = kept + read;
            var status = Utf8.ToUtf16(bytes.AsSpan(0, available), chars, out var valid, out _,
                replaceInvalidSequences: false, isFinalBlock: read == 0);
            line += bytes.AsSpan(0, valid).Count((byte)'\n');
            if (status == OperationStatus.InvalidData)
                return new DataFormatException(
                    $"Line {line} is not valid UTF-8 (byte {offset + valid + 1} of the file). Save the file as UTF-8 and upload it again.", line);
            if (read == 0)
                return new DataFormatException("The file is not valid UTF-8. Save it as UTF-8 and upload it again.");
            // A multi-byte sequence cut by the end of the buffer is finished with the next read.
            kept = available - valid;
            bytes.AsSpan(valid, kept).CopyTo(bytes);
            offset += valid;
        }
    }
}
