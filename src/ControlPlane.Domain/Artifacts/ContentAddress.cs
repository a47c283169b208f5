namespace ControlPlane.Domain.Artifacts;

/// <summary>The one layout both stores share: <c>sha256/ab/abcdef…</c> (a file path under the root, a blob name in the container).</summary>
public static class ContentAddress
{
    public static string Of(string sha256)
    {
        if (sha256.Length != 64 || !sha256.All(c => c is >= '0' and <= '9' or >= 'a' and <= 'f'))
            throw new ArgumentException("Not a lowercase SHA-256 hex digest.", nameof(sha256));
        return $"sha256/{sha256[..2]}/{sha256}";
    }

    public static string PathUnder(string root, string sha256) => Path.Combine(root, Of(sha256).Replace('/', Path.DirectorySeparatorChar));
}
