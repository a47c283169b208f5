using System.Globalization;
using ControlPlane.Domain.Audit;
using ControlPlane.Domain.Common;
using ControlPlane.Domain.Identity;
using ControlPlane.Domain.Live;
using ControlPlane.Domain.Persistence;
using ControlPlane.Domain.Webhooks;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace ControlPlane.Domain.Costs;

public sealed record BudgetInput(double? MonthlyAmount);

public sealed record BudgetView(string Model, double? MonthlyAmount, double SpentThisMonth, string Month, string Currency, bool Exceeded);

/// <summary>
/// Monthly budgets per model (set by an admin or the model's owner) and the alert when a month's spend passes one: an
/// in-app notification and a <c>cost.budget_exceeded</c> webhook, once per model per month. The month is marked on the
/// budget row in the same save as the alert, under its concurrency stamp, so two workers finishing at once alert once.
/// </summary>
public sealed class CostBudgets(IDbContextFactory<ControlPlaneDbContext> contexts, IOptions<CostOptions> options, TimeProvider time, IActorContext actor,
    IProgressNotifier live)
{
    public const double MaxAmount = 1e12;

    public async Task<BudgetView> GetAsync(string modelName, CancellationToken ct = default)
    {
        actor.Current.RequireAnyRole([.. ControlPlaneRoles.All]);
        actor.Current.RequireModel(modelName);
        await using var db = await contexts.CreateDbContextAsync(ct);
        var model = await FindModelAsync(db, modelName, ct);
        var key = Key(model.Id);
        var budget = await db.CostSettings.AsNoTracking().SingleOrDefaultAsync(s => s.Kind == CostSettingKind.ModelBudget && s.Key == key, ct);
        return await ViewAsync(db, model.Id, model.Name, budget?.Amount, ct);
    }

    public async Task<BudgetView> SetAsync(string modelName, BudgetInput input, CancellationToken ct = default)
    {
        var current = actor.Current;
        current.RequireAnyRole(ControlPlaneRoles.Admin, ControlPlaneRoles.DataScientist);
        current.RequireScope(TokenScopes.Write);
        current.RequireModel(modelName);
        if (input.MonthlyAmount is { } amount && (!double.IsFinite(amount) || amount < 0 || amount > MaxAmount))
            throw new ValidationException($"monthlyAmount must be a number from 0 to {MaxAmount:0}, or null to remove the budget.",
                new Dictionary<string, string[]> { ["monthlyAmount"] = ["Out of range."] });
        await using var db = await contexts.CreateDbContextAsync(ct);
        var model = await FindModelAsync(db, modelName, ct);
        var owners = await Registry.Permissions.ModelPermissionCheck.RulesAsync(db, model, ct); // the owners the permissions tab lists
        if (!current.IsInRole(ControlPlaneRoles.Admin) && !owners.IsOwner(current.Name))
            throw new ForbiddenException($"Model '{model.Name}' is owned by {string.Join(", ", owners.Owners)}; only its owners or an admin set its budget.");
        var key = Key(model.Id);
        var budget = await db.CostSettings.SingleOrDefaultAsync(s => s.Kind == CostSettingKind.ModelBudget && s.Key == key, ct);
        var now = time.GetUtcNow().UtcDateTime;
        if (input.MonthlyAmount is not { } value)
        {
            if (budget is not null)
                db.CostSettings.Remove(budget);
        }
        else if (budget is null)
            db.CostSettings.Add(new CostSetting
            {
                Id = Guid.CreateVersion7(), Kind = CostSettingKind.ModelBudget, Key = key, Amount = value, UpdatedBy = current.Name, UpdatedAtUtc = now,
                ConcurrencyStamp = Guid.NewGuid(),
            });
        else
            (budget.Amount, budget.UpdatedBy, budget.UpdatedAtUtc, budget.ConcurrencyStamp) = (value, current.Name, now, Guid.NewGuid());
        using (AuditAmbient.BeginAction("budget.set", "model", model.Id.ToString(), input.MonthlyAmount is { } a ? a.ToString("0.##", CultureInfo.InvariantCulture) : "removed"))
            await db.SaveChangesAsync(ct);
        return await ViewAsync(db, model.Id, model.Name, input.MonthlyAmount, ct);
    }

    /// <summary>Called after a job of the model ends; returns the webhook deliveries of an alert it raised (the caller enqueues them).</summary>
    public async Task<IReadOnlyList<WebhookDelivery>> CheckAsync(Guid modelId, CancellationToken ct = default)
    {
        await using var db = await contexts.CreateDbContextAsync(ct);
        var key = Key(modelId);
        var budget = await db.CostSettings.SingleOrDefaultAsync(s => s.Kind == CostSettingKind.ModelBudget && s.Key == key, ct);
        var now = time.GetUtcNow().UtcDateTime;
        var month = MonthText(now);
        if (budget is null || budget.AlertedMonth == month)
            return [];
        var spent = await SpentThisMonthAsync(db, modelId, now, ct);
        if (spent <= budget.Amount)
            return [];
        var model = await db.Models.AsNoTracking().SingleAsync(m => m.Id == modelId, ct);
        (budget.AlertedMonth, budget.ConcurrencyStamp) = (month, Guid.NewGuid());
        var currency = options.Value.Currency;
        var deliveries = await ProductEvents.RaiseAsync(db, WebhookEvents.CostBudgetExceeded, $"{model.Name} passed its budget for {month}",
            string.Create(CultureInfo.InvariantCulture, $"Compute for {model.Name} has cost {spent:0.00} {currency} in {month}, over its monthly budget of {budget.Amount:0.00} {currency}."),
            "/costs", new { model = model.Name, month, spent = Math.Round(spent, 2), budget = budget.Amount, currency }, now, ct);
        try
        {
            using (AuditAmbient.BeginAction("budget.exceeded", "model", model.Id.ToString(), month))
                await db.SaveChangesAsync(ct);
        }
        catch (DbUpdateConcurrencyException)
        {
            return []; // another worker's job alerted for this month first
        }
        live.Changed(LiveSubject.Notifications);
        return deliveries;
    }

    private async Task<BudgetView> ViewAsync(ControlPlaneDbContext db, Guid modelId, string name, double? amount, CancellationToken ct)
    {
        var now = time.GetUtcNow().UtcDateTime;
        var spent = await SpentThisMonthAsync(db, modelId, now, ct);
        return new BudgetView(name, amount, Math.Round(spent, 4), MonthText(now), options.Value.Currency, amount is { } a && spent > a);
    }

    private async Task<double> SpentThisMonthAsync(ControlPlaneDbContext db, Guid modelId, DateTime now, CancellationToken ct)
    {
        var month = CostAttribution.MonthOf(now);
        var ledger = await CostLedger.LoadAsync(db, options.Value, month, month.AddMonths(1), now, ct);
        return ledger.Slices.Where(s => ledger.Usages[s.UsageId].ModelId == modelId).Sum(s => s.Cost);
    }

    private static async Task<Registry.RegisteredModel> FindModelAsync(ControlPlaneDbContext db, string name, CancellationToken ct)
    {
        var normalized = name.Trim().ToUpperInvariant();
        return await db.Models.AsNoTracking().SingleOrDefaultAsync(m => m.NormalizedName == normalized, ct)
            ?? throw new NotFoundException($"Model '{name}' does not exist.");
    }

    internal static string Key(Guid modelId) => modelId.ToString("D");

    public static string MonthText(DateTime utc) => utc.ToString("yyyy-MM", CultureInfo.InvariantCulture);
}
