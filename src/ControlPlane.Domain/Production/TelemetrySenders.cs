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

    /// <summary>Telemetry speaks for the model: its owner (through the serving app's token they issued) or an admin sends it, not any data scientist.</summary>
    public static void RequireOwnerOrAdmin(Actor current, RegisteredModel model)
    {
        if (!current.IsInRole(ControlPlaneRoles.Admin) && !string.Equals(model.Owner, current.Name, StringComparison.OrdinalIgnoreCase))
            throw new ForbiddenException($"Model '{model.Name}' belongs to {model.Owner}; only its owner or an admin sends its telemetry (issue the serving app an ingest token as one of them).");
    }
}
