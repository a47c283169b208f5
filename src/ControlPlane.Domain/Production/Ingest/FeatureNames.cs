using System.Text;

namespace ControlPlane.Domain.Production.Ingest;

/// <summary>
/// The feature names of one batch, interned: each gets a small index that the records, the versions' schemas and the
/// columns share, so a name is looked up once per record and allocated once per batch.
/// </summary>
internal sealed class FeatureNames
{
    private readonly Dictionary<string, int> _index = new(StringComparer.Ordinal);
    private readonly Dictionary<string, int>.AlternateLookup<ReadOnlySpan<char>> _lookup;
    private readonly List<string> _names = [];
    private readonly List<byte[]> _utf8 = [];

    public FeatureNames() => _lookup = _index.GetAlternateLookup<ReadOnlySpan<char>>();

    public int Count => _names.Count;

    public string this[int index] => _names[index];

    public ReadOnlySpan<byte> Utf8(int index) => _utf8[index];

    public int Intern(ReadOnlySpan<char> name)
    {
        if (_lookup.TryGetValue(name, out var index))
            return index;
        var text = name.ToString();
        _index[text] = _names.Count;
        _names.Add(text);
        _utf8.Add(Encoding.UTF8.GetBytes(text));
        return _names.Count - 1;
    }
}
