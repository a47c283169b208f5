namespace ControlPlane.Domain.Identity.Oidc;

/// <summary>
/// A fresh sign-in at the identity provider, made to sign something: who asked for it (<see cref="UserId"/>), when they
/// asked (<see cref="StartedAtUtc"/>), and what the provider answered (issuer, subject, <c>auth_time</c>).
/// </summary>
public sealed record IdpReauthentication(string UserId, string Issuer, string Subject, DateTime AuthTimeUtc, DateTime StartedAtUtc)
{
    /// <summary>
    /// Why this re-authentication cannot sign for <paramref name="userId"/> now, or null when it can. The provider's
    /// <c>auth_time</c> has whole seconds, so it is compared with the start cut to its second.
    /// </summary>
    public string? WhyNot(string? userId, string linkedIssuer, string linkedSubject, DateTime nowUtc, TimeSpan maxAge)
    {
        if (userId is null || UserId != userId)
            return "The re-authentication was made for another user.";
        if (Issuer != linkedIssuer || Subject != linkedSubject)
            return "The identity provider signed in someone else than the account that is signing.";
        var startedSecond = StartedAtUtc.AddTicks(-(StartedAtUtc.Ticks % TimeSpan.TicksPerSecond));
        if (AuthTimeUtc < startedSecond)
            return "The identity provider did not ask for the password again: its sign-in is older than the signature.";
        if (nowUtc - AuthTimeUtc > maxAge)
            return $"The re-authentication is older than {maxAge.TotalMinutes:0.#} minutes; sign in at the identity provider again.";
        return null;
    }
}
