using ControlPlane.Domain.Audit;
using ControlPlane.Domain.Common;
using ControlPlane.Domain.Persistence;
using Microsoft.EntityFrameworkCore;

namespace ControlPlane.Domain.Identity.Oidc;

/// <summary>One group at the identity provider and the ControlPlane role its members hold.</summary>
public sealed record GroupMappingView(string Group, string Role);

/// <summary>
/// Which identity-provider groups grant which roles. Only admins read or replace the set; every replacement is one
/// audited save (the rows added and removed, and an <c>oidc.group_mappings_changed</c> event naming the new set).
/// </summary>
public sealed class OidcGroupMappings(IDbContextFactory<ControlPlaneDbContext> contexts, IActorContext actor)
{
    public const int MaxGroupLength = 256;
    public const int MaxMappings = 500;

    public async Task<IReadOnlyList<GroupMappingView>> ListAsync(CancellationToken ct = default)
    {
        actor.Current.RequireAnyRole(ControlPlaneRoles.Admin);
        await using var db = await contexts.CreateDbContextAsync(ct);
        return await ReadAsync(db, ct);
    }

    /// <summary>Replaces every mapping with <paramref name="wanted"/>. Users' roles follow at their next sign-in.</summary>
    public async Task<IReadOnlyList<GroupMappingView>> ReplaceAsync(IReadOnlyList<GroupMappingView> wanted, CancellationToken ct = default)
    {
        actor.Current.RequireAnyRole(ControlPlaneRoles.Admin);
        var cleaned = Validate(wanted);
        await using var db = await contexts.CreateDbContextAsync(ct);
        await using var tx = await db.Database.BeginTransactionAsync(ct);
        var current = await db.OidcGroupMappings.ToListAsync(ct);
        var removed = current.Where(m => !cleaned.Contains(new GroupMappingView(m.Group, m.Role))).ToList();
        var added = cleaned.Where(w => !current.Any(m => m.Group == w.Group && m.Role == w.Role)).ToList();
        if (removed.Count == 0 && added.Count == 0)
            return await ReadAsync(db, ct);
        var text = string.Join(", ", cleaned.OrderBy(m => m.Group, StringComparer.Ordinal).ThenBy(m => m.Role, StringComparer.Ordinal).Select(m => $"{m.Group} → {m.Role}"));
        using (AuditAmbient.BeginAction(AuditActions.OidcGroupMappingsChanged, "oidcGroupMappings", null,
                   $"{added.Count} added, {removed.Count} removed; now: {(text.Length == 0 ? "none" : text)}"))
        {
            db.OidcGroupMappings.RemoveRange(removed);
            db.OidcGroupMappings.AddRange(added.Select(a => new OidcGroupMapping { Id = Guid.CreateVersion7(), Group = a.Group, Role = a.Role }));
            await db.SaveChangesAsync(ct);
        }
        await tx.CommitAsync(ct);
        return await ReadAsync(db, ct);
    }

    /// <summary>The roles that <paramref name="groups"/> grant; no caller check (sign-in runs before anyone is signed in).</summary>
    internal static async Task<HashSet<string>> RolesForAsync(ControlPlaneDbContext db, IReadOnlyCollection<string> groups, CancellationToken ct)
    {
        if (groups.Count == 0)
            return [];
        var roles = await db.OidcGroupMappings.Where(m => groups.Contains(m.Group)).Select(m => m.Role).Distinct().ToListAsync(ct);
        return roles.Where(ControlPlaneRoles.IsKnown).ToHashSet(StringComparer.Ordinal);
    }

    private static async Task<IReadOnlyList<GroupMappingView>> ReadAsync(ControlPlaneDbContext db, CancellationToken ct) =>
        await db.OidcGroupMappings.AsNoTracking().OrderBy(m => m.Group).ThenBy(m => m.Role)
            .Select(m => new GroupMappingView(m.Group, m.Role)).ToListAsync(ct);

    private static HashSet<GroupMappingView> Validate(IReadOnlyList<GroupMappingView>? wanted)
    {
        if (wanted is null)
            throw ValidationException.For("mappings", "Send the whole list of mappings (an empty list removes them all).");
        if (wanted.Count > MaxMappings)
            throw ValidationException.For("mappings", $"At most {MaxMappings} mappings.");
        var cleaned = new HashSet<GroupMappingView>();
        foreach (var m in wanted)
        {
            var group = m?.Group?.Trim() ?? "";
            if (group.Length == 0 || group.Length > MaxGroupLength)
                throw ValidationException.For("group", $"A group name has 1 to {MaxGroupLength} characters.");
            if (!ControlPlaneRoles.IsKnown(m!.Role ?? ""))
                throw ValidationException.For("role", $"Unknown role '{m.Role}'. Known roles: {string.Join(", ", ControlPlaneRoles.All)}.");
            cleaned.Add(new GroupMappingView(group, m.Role!));
        }
        return cleaned;
    }
}
