using System.Text;
using ControlPlane.Domain.Datasets.Reading;

namespace ControlPlane.Domain.Tests.Datasets.Reading;

/// <summary>The reader that decodes a CSV block for Sep: every character exactly once, however small the reads.</summary>
public sealed class Utf8BlockReaderTests
{
    private const string Text = "id,name\n1,München 東京 😀🎉\n2,é\n";

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(3)]
    [InlineData(4096)]
    public void Decodes_multi_byte_characters_and_surrogate_pairs_through_reads_of_any_size(int size)
    {
        var bytes = Encoding.UTF8.GetBytes(Text + "tail");
        using var reader = new Utf8BlockReader(bytes, bytes.Length - 4); // the block ends before "tail"
        var buffer = new char[size];
        var back = new StringBuilder();
        int read;
        while ((read = reader.Read(buffer, 0, size)) > 0)
            back.Append(buffer, 0, read);

        Assert.Equal(Text, back.ToString());
    }

    [Fact]
    public void Bytes_that_are_not_UTF8_throw_as_a_decoder_would()
    {
        byte[] bytes = [.. "a,b\n1,caf"u8, 0xE9, .. "\n"u8];
        using var reader = new Utf8BlockReader(bytes, bytes.Length);

        Assert.Throws<DecoderFallbackException>(() => reader.ReadToEnd());
    }
}
