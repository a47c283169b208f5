using System.Buffers;

namespace ControlPlane.Domain.Datasets.Reading;

/// <summary>Whole rows of a CSV file: bytes [0, <see cref="Length"/>) of a pooled buffer, returned once parsed.</summary>
internal sealed record CsvBlock(byte[] Buffer, int Length, long FirstLine, long EndOffset)
{
    public ReadOnlySpan<byte> Bytes => Buffer.AsSpan(0, Length);

    public void Release() => ArrayPool<byte>.Shared.Return(Buffer);
}
