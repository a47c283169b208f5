using ControlPlane.Domain.Audit;
using ControlPlane.Domain.Common;
using ControlPlane.Domain.Identity;
using ControlPlane.Domain.Persistence;
using ControlPlane.Domain.Registry;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace ControlPlane.Domain.Production;

/// <summary>
/// How long a model's production telemetry is kept. The default is long enough for the EU AI Act's log duties; a
/// shorter (or longer) period is an admin's audited choice with a reason. Every role reads it.
/// </summary>
public sealed class TelemetryRetention(IDbContextFactory<ControlPlaneDbContext> contexts, IOptions<ProductionOptions> options, IActorContext actor)
{
    public const int MinDays = 1, MaxDays = 3650;

    public async Task<TelemetryRetentionView> GetAsync(string model, CancellationToken ct = default)
    {
        actor.Current.RequireAnyRole([.. ControlPlaneRoles.All]);
        await using var db = await contexts.CreateDbContextAsync(ct);
        return View(await FindAsync(db, model, ct));
    }

    /// <param name="days">Null returns the model to the server's default.</param>
    public async Task<TelemetryRetentionView> SetAsync(string model, int? days, string? reason, CancellationToken ct = default)
    {
        actor.Current.RequireAnyRole(ControlPlaneRoles.Admin);
        actor.Current.RequireScope(TokenScopes.Write);
        if (days is < MinDays or > MaxDays)
            throw ValidationException.For("days", $"Telemetry is kept {MinDays} to {MaxDays} days (or null for the server's default).");
        var why = RegistryRules.Text(reason, 2000, "reason") ?? throw ValidationException.For("reason", "Say why the retention changes: it is audited.");
        await using var db = await contexts.CreateDbContextAsync(ct);
        var registered = await FindAsync(db, model, ct);
        if (registered.TelemetryRetentionDays == days)
            return View(registered);
        registered.TelemetryRetentionDays = days;
        try
        {
            using (AuditAmbient.BeginAction("model.telemetry_retention_changed", "model", registered.Id.ToString(), why))
                await db.SaveChangesAsync(ct);
        }
        catch (DbUpdateConcurrencyException)
        {
            throw new ConflictException($"Model '{registered.Name}' was changed by someone else; reload and try again.");
        }
        return View(registered);
    }

    private async Task<RegisteredModel> FindAsync(ControlPlaneDbContext db, string model, CancellationToken ct)
    {
        var registered = await ModelRegistry.FindModelAsync(db.Models, model, ct);
        actor.Current.RequireModel(registered.Name);
        return registered;
    }

    private TelemetryRetentionView View(RegisteredModel model) =>
        new(model.Name, model.TelemetryRetentionDays, options.Value.DefaultRetentionDays, model.TelemetryRetentionDays ?? options.Value.DefaultRetentionDays);
}
