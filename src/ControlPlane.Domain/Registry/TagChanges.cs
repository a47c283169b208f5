namespace ControlPlane.Domain.Registry;

/// <summary>
/// Turns "the tags should now be exactly these" into row changes: tags whose value changed or that are gone are
/// removed, new or changed ones added; unchanged rows stay untouched, so the audit trail shows only real changes.
/// </summary>
internal static class TagChanges
{
    public static (List<T> Remove, List<KeyValuePair<string, string>> Add) Between<T>(
        IReadOnlyCollection<T> current, Func<T, string> key, Func<T, string> value, IReadOnlyDictionary<string, string> wanted)
    {
        bool Kept(T tag) => wanted.TryGetValue(key(tag), out var v) && v == value(tag);
        var kept = current.Where(Kept).Select(key).ToHashSet();
        return (current.Where(t => !Kept(t)).ToList(), wanted.Where(t => !kept.Contains(t.Key)).ToList());
    }
}
