using System.Text;
using Apache.Arrow;

namespace ControlPlane.Domain.Production.Ingest;

/// <summary>
/// The strings of an Arrow string column that repeats a few values (labels, variants, aliases): each distinct value is
/// decoded once and the same string handed out again, instead of a new string per row.
/// </summary>
internal sealed class RepeatedTexts
{
    private const int Kept = 16;
    private readonly List<(byte[] Utf8, string Text)> _seen = [];

    public string? At(StringArray? array, int row)
    {
        if (array is null || !array.IsValid(row))
            return null;
        var utf8 = array.GetBytes(row);
        foreach (var (bytes, text) in _seen)
        {
            if (utf8.SequenceEqual(bytes))
                return text;
        }
        var decoded = Encoding.UTF8.GetString(utf8);
        if (_seen.Count < Kept)
            _seen.Add((utf8.ToArray(), decoded));
        return decoded;
    }
}
