using ControlPlane.Domain.Identity.Oidc;

namespace ControlPlane.Domain.Tests.Identity;

/// <summary>When a sign-in at the identity provider may sign: its auth_time (whole seconds) against the start and the clock.</summary>
public sealed class IdpReauthenticationTests
{
    private static readonly DateTime Started = new(2026, 3, 1, 12, 0, 0, 700, DateTimeKind.Utc);
    private static readonly TimeSpan MaxAge = TimeSpan.FromMinutes(5);

    private static IdpReauthentication Proof(DateTime authTime) => new("u1", "https://idp", "sub-1", authTime, Started);

    [Fact]
    public void A_sign_in_in_the_same_second_as_the_start_counts_since_auth_time_has_no_fractions()
    {
        // Started 12:00:00.700, the provider says auth_time 12:00:00: the same second, so it is not older than the start.
        Assert.Null(Proof(new DateTime(2026, 3, 1, 12, 0, 0, DateTimeKind.Utc)).WhyNot("u1", "https://idp", "sub-1", Started.AddSeconds(10), MaxAge));
    }

    [Fact]
    public void A_sign_in_one_second_before_the_start_is_stale()
    {
        var why = Proof(new DateTime(2026, 3, 1, 11, 59, 59, DateTimeKind.Utc)).WhyNot("u1", "https://idp", "sub-1", Started.AddSeconds(10), MaxAge);
        Assert.Contains("did not ask for the password again", why);
    }

    [Fact]
    public void A_sign_in_older_than_the_maximum_age_is_refused_and_one_just_within_it_is_not()
    {
        var authTime = new DateTime(2026, 3, 1, 12, 0, 1, DateTimeKind.Utc);
        Assert.Null(Proof(authTime).WhyNot("u1", "https://idp", "sub-1", authTime + MaxAge, MaxAge));
        Assert.Contains("older than 5 minutes", Proof(authTime).WhyNot("u1", "https://idp", "sub-1", authTime + MaxAge + TimeSpan.FromSeconds(1), MaxAge));
    }

    [Theory]
    [InlineData("u2", "https://idp", "sub-1", "another user")]
    [InlineData("u1", "https://idp", "sub-2", "someone else")]
    [InlineData("u1", "https://other-idp", "sub-1", "someone else")]
    [InlineData(null, "https://idp", "sub-1", "another user")]
    public void Another_user_or_subject_or_issuer_is_refused(string? userId, string issuer, string subject, string expected)
    {
        var why = Proof(Started.AddSeconds(1)).WhyNot(userId, issuer, subject, Started.AddSeconds(10), MaxAge);
        Assert.Contains(expected, why);
    }
}
