namespace ControlPlane.Domain.Artifacts;

/// <summary>The one layout both stores share: <c>sha256/ab/abcdef…</c> (a file path under the root, a blob name in the container).</summary>
public static class ContentAddress
{
    public const string Prefix = "sha256/";

    public static string Of(string sha256)
    {
        if (!IsSha256(sha256))
            throw new ArgumentException("Not a lowercase SHA-256 hex digest.", nameof(sha256));
        return $"{Prefix}{sha256[..2]}/{sha256}";
    }

    /// <summary>The hash a stored name stands for, or null for anything else that lies in the store.</summary>
    public static string? HashOf(string address)
    {
        var sha256 = address[(address.LastIndexOf('/') + 1)..];
        return IsSha256(sha256) && address == Of(sha256) ? sha256 : null;
    }

    private static bool IsSha256(string value) => value.Length == 64 && value.All(c => c is >= '0' and <= '9' or >= 'a' and <= 'f');

    public static string PathUnder(string root, string sha256) => Path.Combine(root, Of(sha256).Replace('/', Path.DirectorySeparatorChar));
}
