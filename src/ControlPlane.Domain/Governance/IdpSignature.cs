using ControlPlane.Domain.Audit;
using ControlPlane.Domain.Common;
using ControlPlane.Domain.Identity;
using ControlPlane.Domain.Identity.Oidc;
using ControlPlane.Domain.Persistence;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace ControlPlane.Domain.Governance;

/// <summary>
/// The signer of a user of the identity provider: instead of a password, a sealed proof that they signed in there
/// again after starting this signature, as the subject their account is linked to, recently. Failures are audited
/// (<c>signature.failed</c>) and nothing is signed.
/// </summary>
internal static class IdpSignature
{
    public static async Task<(ControlPlaneUser Signer, IdpReauthentication? Proof)> VerifyAsync(IServiceScopeFactory scopes, AuditLog audit, Actor caller,
        string sealedProof, Guid requestId, DateTime nowUtc, CancellationToken ct)
    {
        await using var scope = OperationScope.Begin(scopes, caller);
        var users = scope.ServiceProvider.GetRequiredService<UserManager<ControlPlaneUser>>();
        var user = await users.FindByIdAsync(caller.RequireUserId()) ?? throw new ForbiddenException("Your account no longer exists.");
        if (user.IsDisabled)
            throw new ForbiddenException("This account is disabled.");
        var proof = scope.ServiceProvider.GetRequiredService<IdpReauthentications>().Open(sealedProof);
        var link = proof is null ? null : (await users.GetLoginsAsync(user)).FirstOrDefault(l => l.LoginProvider == proof.Issuer);
        var why = proof is null
            ? "The re-authentication is not valid here."
            : link is null
                ? "This account is not linked to the identity provider that re-authenticated."
                : proof.WhyNot(caller.UserId, link.LoginProvider, link.ProviderKey, nowUtc, scope.ServiceProvider.GetRequiredService<IOptions<OidcSettings>>().Value.SignatureMaxAge);
        if (why is null && await UsedAsync(scope.ServiceProvider.GetRequiredService<ControlPlaneDbContext>(), user.Id, proof!, ct))
            why = Replayed;
        if (why is not null)
            throw await FailAsync(audit, requestId, why, ct);
        return (user, proof);
    }

    /// <summary>
    /// Each sign-in at the provider signs once: a second decision with the same <c>auth_time</c> is a replay. Checked
    /// again under the signing lock for two signatures racing with one proof (the refusal is audited by the caller).
    /// </summary>
    public static async Task RequireUnusedAsync(ControlPlaneDbContext db, string signerId, IdpReauthentication proof, CancellationToken ct)
    {
        if (await UsedAsync(db, signerId, proof, ct))
            throw new ConflictException($"{Replayed} Nothing was signed.");
    }

    private const string Replayed = "This sign-in at the identity provider already signed a decision; sign in there again.";

    private static Task<bool> UsedAsync(ControlPlaneDbContext db, string signerId, IdpReauthentication proof, CancellationToken ct) =>
        db.PromotionDecisions.AnyAsync(d => d.SignerId == signerId && d.IdpIssuer == proof.Issuer && d.IdpAuthTimeUtc == proof.AuthTimeUtc, ct);

    private static async Task<AuthenticationFailedException> FailAsync(AuditLog audit, Guid requestId, string why, CancellationToken ct)
    {
        await audit.RecordAsync(AuditActions.SignatureFailed, "promotionRequest", requestId.ToString(), reason: $"identity provider re-authentication refused: {why}", ct: ct);
        return new AuthenticationFailedException($"{why} Nothing was signed.");
    }
}
