using System.Globalization;
using System.Text;

namespace ControlPlane.Workers.Demo;

/// <summary>
/// Generates credit-risk style applications with a known default rule. Month 1 is the training population; from month 3
/// incomes fall, debt ratios rise and more applicants come from the online channel (the drift the demo monitor finds).
/// Deterministic per seed, so every demo tells the same story.
/// </summary>
public static class CreditApplications
{
    public const string Label = "defaulted";
    public static readonly string[] Numeric = ["age", "income", "debt_ratio", "credit_lines", "years_employed"];
    public const string Channel = "channel";

    public static string Csv(int month, int rows, int seed)
    {
        var random = new Random(seed * 100 + month);
        var shift = Math.Max(0, month - 2); // months 1–2 alike, then a growing shift
        var csv = new StringBuilder($"applicant_id,{string.Join(',', Numeric)},{Channel},{Label}\n");
        for (var i = 0; i < rows; i++)
        {
            var age = Math.Clamp(Normal(random, 41, 11), 18, 80);
            var income = Math.Max(8_000, Normal(random, 58_000 - 7_000 * shift, 16_000));
            var debt = Math.Clamp(Normal(random, 0.32 + 0.07 * shift, 0.12), 0, 1.5);
            var lines = random.Next(0, 12);
            var employed = Math.Clamp(Normal(random, 8, 6), 0, 45);
            var channel = random.NextDouble() < 0.25 + 0.15 * shift ? "online" : random.NextDouble() < 0.6 ? "branch" : "broker";
            var score = 2.5 * (-1.2 + 3.2 * debt - income / 40_000 - 0.04 * employed + 0.08 * lines + (channel == "online" ? 0.4 : 0) - 0.01 * (age - 40));
            var defaulted = random.NextDouble() < 1 / (1 + Math.Exp(-score));
            csv.Append(CultureInfo.InvariantCulture, $"{month * 100_000 + i},{age:F0},{income:F0},{debt:F3},{lines},{employed:F1},{channel},{(defaulted ? "true" : "false")}\n");
        }
        return csv.ToString();
    }

    private static double Normal(Random random, double mean, double sd) =>
        mean + sd * Math.Sqrt(-2 * Math.Log(1 - random.NextDouble())) * Math.Cos(2 * Math.PI * random.NextDouble());
}
