using ControlPlane.Domain.Common;
using ControlPlane.Domain.Identity;
using ControlPlane.Domain.Registry;

namespace ControlPlane.Domain.Production;

/// <summary>
/// Who may speak for a model from production (telemetry, load reports): a token with the ingest scope, allowed the
/// model, held by the model's owner or an admin (who issue the serving app its token).
/// </summary>
internal static class TelemetrySenders
{
    private static readonly string[] Roles = [ControlPlaneRoles.DataScientist, ControlPlaneRoles.Admin];

    /// <summary>The checks that need no database: scope, the token's models, and a role that may hold an ingest token.</summary>
    public static void Authorize(Actor current, string model)
    {
        current.RequireScope(TokenScopes.Ingest);
        current.RequireModel(model);
        // Not RequireAnyRole: that asks for the read scope too, which an ingest-only token rightly lacks.
        if (!Roles.Any(current.IsInRole))
            throw new ForbiddenException($"Sending telemetry needs the role {string.Join(" or ", Roles)} (the model's owner or an admin issues the ingest token).");
    }

    /// <summary>Telemetry speaks for the model: one of its owners (through the serving app's token they issued) or an admin sends it, not any data scientist.</summary>
    public static async Task RequireOwnerOrAdminAsync(Persistence.ControlPlaneDbContext db, Actor current, RegisteredModel model, CancellationToken ct)
    {
        if (current.IsInRole(ControlPlaneRoles.Admin))
            return;
        var rules = await Registry.Permissions.ModelPermissionCheck.RulesAsync(db, model, ct);
        if (!rules.IsOwner(current.Name))
            throw new ForbiddenException($"Model '{model.Name}' belongs to {string.Join(", ", rules.Owners)}; only its owners or an admin send its telemetry (issue the serving app an ingest token as one of them).");
    }
}
