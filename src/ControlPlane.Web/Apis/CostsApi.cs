using System.ComponentModel.DataAnnotations;
using ControlPlane.Domain.Costs;
using Microsoft.AspNetCore.Http.HttpResults;

namespace ControlPlane.Web.Apis;

/// <summary>Compute usage and cost (docs/costs.md): readers see costs; admins set rates; an admin or a model's owner sets its budget.</summary>
public static class CostsApi
{
    public static IEndpointRouteBuilder MapCostsApi(this IEndpointRouteBuilder routes)
    {
        var api = routes.MapGroup("/api/v1/costs").WithTags("Costs").RequireAuthorization();
        api.MapGet("/", SummaryAsync).WithName("CostSummary")
            .WithSummary("Cost in [from, to) (default: the last twelve calendar months), grouped by ?groupBy=model|kind|month, each group with its cost per month (any role).");
        api.MapGet("/runs", TopRunsAsync).WithName("CostlyRuns")
            .WithSummary("The ?top= (1–200, default 20) most expensive job attempts in [from, to), with wall, CPU, memory, GPU time and rows (any role).");
        api.MapGet("/wasted-retrains", WastedRetrainsAsync).WithName("WastedRetrains")
            .WithSummary("Training runs whose version scored worse than the champion or never reached Production within the grace period, with their cost (any role).");
        api.MapGet("/idle-monitors", IdleMonitorsAsync).WithName("IdleMonitors")
            .WithSummary("Scheduled drift monitors whose runs found no drift in the last N months (ControlPlane:Costs:IdleMonitorMonths), with their cost (any role).");

        var rates = routes.MapGroup("/api/v1/admin/cost-rates").WithTags("Costs").RequireAuthorization(Auth.Policies.Admin);
        rates.MapGet("/", GetRatesAsync).WithName("GetCostRates").WithSummary("Hourly rates set in the app per worker and queue, and the configured defaults (Admin).");
        rates.MapPut("/", SetRatesAsync).WithName("SetCostRates")
            .WithSummary("Replace the app's rates {workers: {name: rate}, queues: {default|gpu: rate}}; a worker's rate wins over its queue's; audited (Admin).");

        var budgets = routes.MapGroup("/api/v1/models/{name}/budget").WithTags("Costs").RequireAuthorization();
        budgets.MapGet("/", GetBudgetAsync).WithName("GetModelBudget").WithSummary("The model's monthly budget and this month's spend (any role).");
        budgets.MapPut("/", SetBudgetAsync).WithName("SetModelBudget")
            .WithSummary("Set {monthlyAmount} (null removes it); passing it alerts once a month in the app and by the cost.budget_exceeded webhook (Admin or the model's owners).");
        return routes;
    }

    public static async Task<Ok<CostSummary>> SummaryAsync(Costs costs, CancellationToken ct, DateTime? from = null, DateTime? to = null, [MaxLength(16)] string? groupBy = null) =>
        TypedResults.Ok(await costs.SummaryAsync(from, to, CostGroupings.Parse(groupBy), ct));

    public static async Task<Ok<IReadOnlyList<CostRunView>>> TopRunsAsync(Costs costs, CancellationToken ct, int top = 20, DateTime? from = null, DateTime? to = null) =>
        TypedResults.Ok(await costs.TopRunsAsync(top, from, to, ct));

    public static async Task<Ok<IReadOnlyList<WastedRetrainView>>> WastedRetrainsAsync(Costs costs, CancellationToken ct) =>
        TypedResults.Ok(await costs.WastedRetrainsAsync(ct));

    public static async Task<Ok<IReadOnlyList<IdleMonitorView>>> IdleMonitorsAsync(Costs costs, CancellationToken ct) =>
        TypedResults.Ok(await costs.IdleMonitorsAsync(ct));

    public static async Task<Ok<CostRatesView>> GetRatesAsync(CostRates rates, CancellationToken ct) => TypedResults.Ok(await rates.GetAsync(ct));

    public static async Task<Ok<CostRatesView>> SetRatesAsync(CostRatesInput input, CostRates rates, CancellationToken ct) =>
        TypedResults.Ok(await rates.SetAsync(input, ct));

    public static async Task<Ok<BudgetView>> GetBudgetAsync(string name, CostBudgets budgets, CancellationToken ct) =>
        TypedResults.Ok(await budgets.GetAsync(name, ct));

    public static async Task<Ok<BudgetView>> SetBudgetAsync(string name, BudgetInput input, CostBudgets budgets, CancellationToken ct) =>
        TypedResults.Ok(await budgets.SetAsync(name, input, ct));
}
