using ControlPlane.Domain.Audit;
using ControlPlane.Domain.Common;
using ControlPlane.Domain.Identity;
using ControlPlane.Domain.Registry;
using Microsoft.EntityFrameworkCore;

namespace ControlPlane.Domain.Governance;

/// <summary>Holding a model: nothing of it is promoted until the hold is released.</summary>
public sealed partial class Promotions
{
    /// <summary>Puts a model on hold (or releases it): its schedules skip their runs and its pending requests are invalidated.</summary>
    public async Task<HoldView> SetHoldAsync(string modelName, bool onHold, string reason, CancellationToken ct = default)
    {
        var caller = actor.Current;
        caller.RequireAnyRole(ControlPlaneRoles.ComplianceReviewer, ControlPlaneRoles.Admin);
        var why = Required(reason, "reason", onHold ? "Say why the model is put on hold." : "Say why the hold is released.");
        await using var db = await contexts.CreateDbContextAsync(ct);
        await using var tx = await db.Database.BeginTransactionAsync(ct);
        await AuditHeadLock.AcquireAsync(db, ct);
        var model = await ModelRegistry.FindModelAsync(db.Models, modelName, ct);
        if (model.OnHold == onHold)
            throw new ConflictException($"'{model.Name}' is {(onHold ? "already on hold" : "not on hold")}.");
        var now = time.GetUtcNow().UtcDateTime;
        model.OnHold = onHold;
        model.HoldReason = why;
        model.HoldChangedBy = caller.Name;
        model.HoldChangedAtUtc = now;
        model.ConcurrencyStamp = Guid.NewGuid();
        if (onHold)
            foreach (var pending in await db.PromotionRequests.Where(r => r.ModelId == model.Id && r.Status == PromotionStatus.Pending).ToListAsync(ct))
                PromotionStates.Close(pending, PromotionStatus.Invalidated, $"{model.Name} was put on hold by {caller.Name}: {why}", now);
        using (AuditAmbient.BeginAction(onHold ? "model.hold_placed" : "model.hold_released", "model", model.Id.ToString(), why))
            await db.SaveChangesAsync(ct);
        await tx.CommitAsync(ct);
        return new HoldView(model.Name, model.OnHold, model.HoldReason, model.HoldChangedBy, model.HoldChangedAtUtc);
    }

    public async Task<HoldView> GetHoldAsync(string modelName, CancellationToken ct = default)
    {
        actor.Current.RequireAnyRole(Readers);
        await using var db = await contexts.CreateDbContextAsync(ct);
        var model = await ModelRegistry.FindModelAsync(db.Models.AsNoTracking(), modelName, ct);
        return new HoldView(model.Name, model.OnHold, model.HoldReason, model.HoldChangedBy, model.HoldChangedAtUtc);
    }
}
