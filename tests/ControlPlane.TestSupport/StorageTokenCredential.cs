using System.Text;
using System.Text.Json;
using Azure.Core;

namespace ControlPlane.TestSupport;

/// <summary>
/// Stands in for a managed identity: mints an unsigned JWT shaped like Microsoft Entra ID's for the scope the SDK
/// asks for (or for <paramref name="audience"/> when given, to be refused), valid for an hour, and counts how often it
/// was asked. Azurite's <c>--oauth basic</c> checks such a token's audience, issuer and lifetime, not its signature.
/// </summary>
public sealed class StorageTokenCredential(string? audience = null) : TokenCredential
{
    private int _requests;
    private readonly List<string> _scopes = [];

    /// <summary>How many tokens were asked for: the SDK caches one until shortly before it expires.</summary>
    public int Requests => Volatile.Read(ref _requests);

    public IReadOnlyList<string> Scopes
    {
        get { lock (_scopes) return [.. _scopes]; }
    }

    public override AccessToken GetToken(TokenRequestContext requestContext, CancellationToken cancellationToken)
    {
        Interlocked.Increment(ref _requests);
        lock (_scopes)
            _scopes.AddRange(requestContext.Scopes);
        var now = DateTimeOffset.UtcNow;
        var expires = now.AddHours(1);
        var claims = new Dictionary<string, object>
        {
            ["aud"] = audience ?? requestContext.Scopes.Single().Replace("/.default", "", StringComparison.Ordinal),
            ["iss"] = "https://sts.windows.net/72f988bf-86f1-41af-91ab-2d7cd011db47/",
            ["nbf"] = now.AddMinutes(-5).ToUnixTimeSeconds(),
            ["iat"] = now.AddMinutes(-5).ToUnixTimeSeconds(),
            ["exp"] = expires.ToUnixTimeSeconds(),
            ["oid"] = "00000000-0000-0000-0000-0000000000aa",
            ["tid"] = "72f988bf-86f1-41af-91ab-2d7cd011db47",
        };
        var token = $"{Base64Url(new { alg = "RS256", typ = "JWT" })}.{Base64Url(claims)}.{Convert.ToBase64String("unsigned"u8).TrimEnd('=')}";
        return new AccessToken(token, expires);
    }

    public override ValueTask<AccessToken> GetTokenAsync(TokenRequestContext requestContext, CancellationToken cancellationToken) =>
        ValueTask.FromResult(GetToken(requestContext, cancellationToken));

    private static string Base64Url(object value) =>
        Convert.ToBase64String(Encoding.UTF8.GetBytes(JsonSerializer.Serialize(value))).TrimEnd('=').Replace('+', '-').Replace('/', '_');
}
