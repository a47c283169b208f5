namespace ControlPlane.Domain.Identity;

/// <summary>
/// How often credentials may be tried (sign-in form and token issuance), per client address and per account, in a fixed
/// window. Above either, the answer is 429 with Retry-After; lockout (5 wrong passwords, 15 minutes) still applies inside.
/// </summary>
public sealed class SignInLimits
{
    public const string Section = "ControlPlane:RateLimits";

    public int PerClient { get; set; } = 20;
    public int PerAccount { get; set; } = 10;
    public TimeSpan Window { get; set; } = TimeSpan.FromMinutes(1);
}
