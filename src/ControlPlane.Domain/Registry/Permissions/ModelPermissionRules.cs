using System.Text.Json;
using System.Text.Json.Serialization;

namespace ControlPlane.Domain.Registry.Permissions;

/// <summary>One action's rule: who besides the role rule may take it, and the users listed for it.</summary>
public sealed record ActionRule(ModelRestriction Restriction, IReadOnlyList<string> Users)
{
    public static ActionRule Unrestricted { get; } = new(ModelRestriction.Unrestricted, []);
}

/// <summary>A model's owners and rules as stored in <see cref="ModelPermissionSet"/> (or implied by its creator).</summary>
internal sealed record ModelPermissionRules(IReadOnlyList<string> Owners, IReadOnlyDictionary<ModelAction, ActionRule> Rules)
{
    private static readonly JsonSerializerOptions Json = new() { Converters = { new JsonStringEnumConverter() } };

    public ActionRule For(ModelAction action) => Rules.TryGetValue(action, out var rule) ? rule : ActionRule.Unrestricted;

    public bool IsOwner(string user) => Owners.Contains(user, StringComparer.OrdinalIgnoreCase);

    /// <summary>Whether the rule lets this user through (the role rule and admins are judged by the caller).</summary>
    public bool Allows(ModelAction action, string user)
    {
        var rule = For(action);
        return rule.Restriction switch
        {
            ModelRestriction.Unrestricted => true,
            ModelRestriction.OwnersOnly => IsOwner(user),
            ModelRestriction.OwnersAndListed => IsOwner(user) || rule.Users.Contains(user, StringComparer.OrdinalIgnoreCase),
            _ => throw new InvalidOperationException($"Unknown model restriction {rule.Restriction}."),
        };
    }

    public static ModelPermissionRules Implied(RegisteredModel model) => new([model.Owner], new Dictionary<ModelAction, ActionRule>());

    public static ModelPermissionRules From(ModelPermissionSet set) => new(
        JsonSerializer.Deserialize<List<string>>(set.Owners, Json) ?? [],
        JsonSerializer.Deserialize<Dictionary<ModelAction, ActionRule>>(set.Rules, Json) ?? []);

    public string OwnersJson() => JsonSerializer.Serialize(Owners, Json);

    /// <summary>Only restricted actions are stored, in a fixed order, so equal rules give equal text.</summary>
    public string RulesJson() => JsonSerializer.Serialize(
        Enum.GetValues<ModelAction>().Where(a => For(a).Restriction != ModelRestriction.Unrestricted).ToDictionary(a => a, For), Json);
}
