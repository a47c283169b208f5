namespace ControlPlane.Domain.Costs;

internal static class CostOptionsRules
{
    public const string Message =
        "ControlPlane:Costs: rates must be from 0 to 1000000 per hour, IdleMonitorMonths from 1 to 120, PromotionGraceDays from 0 to 3650, StaleAfter positive, Currency 1 to 8 characters.";

    public static bool Valid(CostOptions o) =>
        Rate(o.DefaultHourlyRate) && o.Workers.Values.All(Rate) && o.Queues.Values.All(Rate)
        && o.IdleMonitorMonths is >= 1 and <= 120 && o.PromotionGraceDays is >= 0 and <= 3650 && o.StaleAfter > TimeSpan.Zero
        && o.Currency.Length is >= 1 and <= 8;

    private static bool Rate(double rate) => double.IsFinite(rate) && rate >= 0 && rate <= CostRates.MaxRate;
}
