using ControlPlane.Domain.Common;
using ControlPlane.Domain.Identity;
using ControlPlane.Domain.Persistence;
using Microsoft.EntityFrameworkCore;

namespace ControlPlane.Domain.Registry.Permissions;

/// <summary>
/// The one check of a model's restricted actions, called by each service after its role check and reading the rules
/// from the caller's own context (inside its locked transaction where it has one), so a change of rules between a
/// page load and the save is judged by the rules at the save. A restriction only narrows: a listed reviewer still
/// cannot register a version.
/// </summary>
internal static class ModelPermissionCheck
{
    public static async Task<ModelPermissionRules> RulesAsync(ControlPlaneDbContext db, RegisteredModel model, CancellationToken ct)
    {
        var set = await db.ModelPermissions.AsNoTracking().SingleOrDefaultAsync(p => p.ModelId == model.Id, ct);
        return set is null ? ModelPermissionRules.Implied(model) : ModelPermissionRules.From(set);
    }

    public static async Task RequireAsync(ControlPlaneDbContext db, Actor actor, RegisteredModel model, ModelAction action, CancellationToken ct)
    {
        var rules = await RulesAsync(db, model, ct);
        if (rules.Allows(action, actor.Name) || await IsAdminAsync(db, actor, ct))
            return;
        var rule = rules.For(action);
        var who = rule.Restriction == ModelRestriction.OwnersOnly ? "its owners" : "its owners and the users listed for it";
        throw new ForbiddenException($"On '{model.Name}', {Describe(action)} is restricted to {who} ({string.Join(", ", rules.Owners)} own it) and admins.");
    }

    /// <summary>Whether the actor may change the owners and rules: an owner or an admin.</summary>
    public static async Task RequireManagerAsync(ControlPlaneDbContext db, Actor actor, RegisteredModel model, ModelPermissionRules rules, CancellationToken ct)
    {
        if (!rules.IsOwner(actor.Name) && !await IsAdminAsync(db, actor, ct))
            throw new ForbiddenException($"Only the owners of '{model.Name}' ({string.Join(", ", rules.Owners)}) and admins change its permissions.");
    }

    /// <summary>
    /// A job acts with every role under a person's name (<see cref="Actor.System"/>): it is an admin here only if that
    /// person is one. A job under no user's name (internal machinery) is let through.
    /// </summary>
    private static async Task<bool> IsAdminAsync(ControlPlaneDbContext db, Actor actor, CancellationToken ct)
    {
        if (!actor.IsSystem)
            return actor.IsInRole(ControlPlaneRoles.Admin);
        var normalized = actor.Name.ToUpperInvariant();
        var user = await db.Users.AsNoTracking().Where(u => u.NormalizedUserName == normalized).Select(u => u.Id).SingleOrDefaultAsync(ct);
        if (user is null)
            return true;
        return await db.UserRoles.AnyAsync(r => r.UserId == user && db.Roles.Any(x => x.Id == r.RoleId && x.Name == ControlPlaneRoles.Admin), ct);
    }

    public static string Describe(ModelAction action) => action switch
    {
        ModelAction.RegisterVersions => "registering versions",
        ModelAction.MoveAliases => "moving aliases",
        ModelAction.EditMonitors => "editing monitors",
        ModelAction.EditSpecs => "editing training specs",
        _ => throw new InvalidOperationException($"Unknown model action {action}."),
    };
}
