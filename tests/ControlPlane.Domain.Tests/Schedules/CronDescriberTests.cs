using ControlPlane.Domain.Schedules;

namespace ControlPlane.Domain.Tests.Schedules;

public sealed class CronDescriberTests
{
    [Theory]
    [InlineData("* * * * *", "every minute")]
    [InlineData("*/15 * * * *", "every 15 minutes")]
    [InlineData("0 * * * *", "every hour")]
    [InlineData("5 * * * *", "every hour at minute 5")]
    [InlineData("0 */2 * * *", "every 2 hours")]
    [InlineData("10 */6 * * *", "every 6 hours at minute 10")]
    [InlineData("30 2 * * *", "at 02:30 every day")]
    [InlineData("0 3 * * 1", "at 03:00 on Monday")]
    [InlineData("0 3 * * MON", "at 03:00 on Monday")]
    [InlineData("0 6 * * 0", "at 06:00 on Sunday")]
    [InlineData("0 6 * * 7", "at 06:00 on Sunday")]
    [InlineData("15 7 * * 1-5", "at 07:15 on Monday through Friday")]
    [InlineData("0 9 * * 1,3,5", "at 09:00 on Monday, Wednesday and Friday")]
    [InlineData("0 0 1 * *", "at 00:00 on day 1 of every month")]
    [InlineData("@daily", "at 00:00 every day")]
    [InlineData("  0 3 * * 1  ", "at 03:00 on Monday")]
    // Shapes it does not know are shown as written, never guessed.
    [InlineData("0 0 1 1 *", "0 0 1 1 *")]
    [InlineData("0 9-17 * * *", "0 9-17 * * *")]
    [InlineData("0 0 3 * * 1", "0 0 3 * * 1")]
    [InlineData("0 3 1 * 1", "0 3 1 * 1")]
    [InlineData("61 * * * *", "61 * * * *")]
    [InlineData("nonsense", "nonsense")]
    [InlineData("", "")]
    public void Describes_common_shapes_and_falls_back_to_the_expression(string cron, string expected) =>
        Assert.Equal(expected, CronDescriber.Describe(cron));
}
