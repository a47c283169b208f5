using ControlPlane.Domain.Audit;
using ControlPlane.Domain.Common;
using ControlPlane.Domain.Persistence;
using Microsoft.EntityFrameworkCore;

namespace ControlPlane.Domain.Registry.Permissions;

/// <summary>Reading and changing a model's owners and restricted actions. Owners and admins change them; every role reads.</summary>
public sealed class ModelPermissions(IDbContextFactory<ControlPlaneDbContext> contexts, IActorContext actor, TimeProvider time)
{
    public const int MaxUsers = 100;

    public async Task<ModelPermissionsView> GetAsync(string model, CancellationToken ct = default)
    {
        actor.Current.RequireAnyRole(ModelRegistry.Readers);
        await using var db = await contexts.CreateDbContextAsync(ct);
        var m = await ModelRegistry.FindModelAsync(db.Models.AsNoTracking(), model, ct);
        var set = await db.ModelPermissions.AsNoTracking().SingleOrDefaultAsync(p => p.ModelId == m.Id, ct);
        return View(m, set);
    }

    /// <summary>Replaces the owners and rules in one audited save (one event with the before and after).</summary>
    public async Task<ModelPermissionsView> SetAsync(string model, ModelPermissionsRequest request, CancellationToken ct = default)
    {
        actor.Current.RequireAnyRole(ModelRegistry.Readers);
        await using var db = await contexts.CreateDbContextAsync(ct);
        var m = await ModelRegistry.FindModelAsync(db.Models.AsNoTracking(), model, ct);
        var wanted = new ModelPermissionRules(
            await KnownUsersAsync(db, request.Owners, "owners", ct),
            new Dictionary<ModelAction, ActionRule>
            {
                [ModelAction.RegisterVersions] = await RuleAsync(db, request.RegisterVersions, "registerVersions", ct),
                [ModelAction.MoveAliases] = await RuleAsync(db, request.MoveAliases, "moveAliases", ct),
                [ModelAction.EditMonitors] = await RuleAsync(db, request.EditMonitors, "editMonitors", ct),
                [ModelAction.EditSpecs] = await RuleAsync(db, request.EditSpecs, "editSpecs", ct),
            });
        if (wanted.Owners.Count == 0)
            throw ValidationException.For("owners", "A model keeps at least one owner.");

        // Under the audit lock: the rules judged are the rules replaced, and a concurrent change is seen.
        await using var tx = await db.Database.BeginTransactionAsync(ct);
        await AuditHeadLock.AcquireAsync(db, ct);
        var set = await db.ModelPermissions.SingleOrDefaultAsync(p => p.ModelId == m.Id, ct);
        if (request.ConcurrencyStamp is { } stamp && stamp != set?.ConcurrencyStamp)
            throw new ConflictException($"The permissions of '{m.Name}' were changed by someone else; reload and try again.");
        var current = set is null ? ModelPermissionRules.Implied(m) : ModelPermissionRules.From(set);
        await ModelPermissionCheck.RequireManagerAsync(db, actor.Current, m, current, ct);
        var before = Describe(current);
        var now = time.GetUtcNow().UtcDateTime;
        if (set is null)
        {
            set = new ModelPermissionSet { ModelId = m.Id, Owners = "", Rules = "", UpdatedBy = actor.Current.Name };
            db.ModelPermissions.Add(set);
        }
        set.Owners = wanted.OwnersJson();
        set.Rules = wanted.RulesJson();
        set.UpdatedBy = actor.Current.Name;
        set.UpdatedAtUtc = now;
        set.ConcurrencyStamp = Guid.NewGuid();
        using (AuditAmbient.BeginAction("modelPermissions.changed", "model", m.Id.ToString(), $"{m.Name}: {before} → {Describe(wanted)}"))
            await db.SaveChangesAsync(ct);
        await tx.CommitAsync(ct);
        return View(m, set);
    }

    private static ModelPermissionsView View(RegisteredModel model, ModelPermissionSet? set)
    {
        var rules = set is null ? ModelPermissionRules.Implied(model) : ModelPermissionRules.From(set);
        return new ModelPermissionsView(model.Name, rules.Owners, rules.For(ModelAction.RegisterVersions), rules.For(ModelAction.MoveAliases),
            rules.For(ModelAction.EditMonitors), rules.For(ModelAction.EditSpecs), set is not null, set?.UpdatedBy, set?.UpdatedAtUtc, set?.ConcurrencyStamp);
    }

    /// <summary>The audit text of a set: owners, then each restricted action with its listed users.</summary>
    private static string Describe(ModelPermissionRules rules)
    {
        var restricted = Enum.GetValues<ModelAction>().Select(a => (Action: a, Rule: rules.For(a)))
            .Where(x => x.Rule.Restriction != ModelRestriction.Unrestricted)
            .Select(x => x.Rule.Restriction == ModelRestriction.OwnersOnly ? $"{x.Action}=owners" : $"{x.Action}=owners+[{string.Join(", ", x.Rule.Users)}]");
        return $"owners [{string.Join(", ", rules.Owners)}]; {(rules.Rules.Values.All(r => r.Restriction == ModelRestriction.Unrestricted) ? "nothing restricted" : string.Join("; ", restricted))}";
    }

    private static async Task<ActionRule> RuleAsync(ControlPlaneDbContext db, ActionRule? rule, string field, CancellationToken ct)
    {
        if (rule is null)
            return ActionRule.Unrestricted;
        ClosedSet.Require(rule.Restriction, field + ".restriction");
        var users = await KnownUsersAsync(db, rule.Users, field + ".users", ct);
        if (users.Count > 0 && rule.Restriction != ModelRestriction.OwnersAndListed)
            throw ValidationException.For(field + ".users", "Users are listed only with the restriction OwnersAndListed.");
        return new ActionRule(rule.Restriction, users);
    }

    /// <summary>Each name must be a user; they come back as stored, without duplicates, in the order given.</summary>
    private static async Task<IReadOnlyList<string>> KnownUsersAsync(ControlPlaneDbContext db, IReadOnlyList<string>? names, string field, CancellationToken ct)
    {
        var given = (names ?? []).Select(n => (n ?? "").Trim()).Where(n => n.Length > 0).Distinct(StringComparer.OrdinalIgnoreCase).ToList();
        if (given.Count > MaxUsers)
            throw ValidationException.For(field, $"At most {MaxUsers} users.");
        var normalized = given.Select(n => n.ToUpperInvariant()).ToList();
        var stored = await db.Users.AsNoTracking().Where(u => normalized.Contains(u.NormalizedUserName!))
            .Select(u => new { u.NormalizedUserName, u.UserName }).ToDictionaryAsync(u => u.NormalizedUserName!, u => u.UserName!, ct);
        var unknown = normalized.Where(n => !stored.ContainsKey(n)).ToList();
        if (unknown.Count > 0)
            throw ValidationException.For(field, $"No such user: {string.Join(", ", given.Where(g => unknown.Contains(g.ToUpperInvariant())))}.");
        return normalized.Select(n => stored[n]).ToList();
    }
}
