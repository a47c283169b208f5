namespace ControlPlane.Domain.Identity;

/// <summary>
/// What a personal access token may do, within its user's roles (a scope never adds a role). A browser session has
/// no scopes: it is its user, whole.
/// </summary>
[Flags]
public enum TokenScopes
{
    None = 0,
    /// <summary>Read through the services (every call that checks a role needs it).</summary>
    Read = 1,
    /// <summary>Change things: any save of the product's data other than the audit trail.</summary>
    Write = 2,
    /// <summary>Send prediction records and actuals (production monitoring); on its own, nothing else.</summary>
    Ingest = 4,
    /// <summary>Use the Admin role; without it a token of an admin acts with the user's other roles only.</summary>
    Admin = 8,
    /// <summary>Tokens made before scopes existed, and the default for a new one: everything its user may do.</summary>
    All = Read | Write | Ingest | Admin,
}

/// <summary>Scope names as the API and the claims write them: read, write, ingest, admin.</summary>
public static class TokenScopeNames
{
    public static readonly (string Name, TokenScopes Scope)[] All =
        [("read", TokenScopes.Read), ("write", TokenScopes.Write), ("ingest", TokenScopes.Ingest), ("admin", TokenScopes.Admin)];

    public static IReadOnlyList<string> Of(TokenScopes scopes) => [.. All.Where(s => scopes.HasFlag(s.Scope)).Select(s => s.Name)];

    /// <summary>Null means every scope; an empty list or an unknown name is a validation error.</summary>
    public static TokenScopes Parse(IEnumerable<string>? names)
    {
        if (names is null)
            return TokenScopes.All;
        var scopes = TokenScopes.None;
        foreach (var name in names)
        {
            var match = All.FirstOrDefault(s => string.Equals(s.Name, name?.Trim(), StringComparison.OrdinalIgnoreCase));
            if (match.Name is null)
                throw Common.ValidationException.For("scopes", $"'{name}' is not a scope; use read, write, ingest or admin.");
            scopes |= match.Scope;
        }
        return scopes != TokenScopes.None ? scopes
            : throw Common.ValidationException.For("scopes", "A token needs at least one scope: read, write, ingest or admin.");
    }
}
