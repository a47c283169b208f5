using System.Net;
using System.Net.Http.Json;
using ControlPlane.Domain.Audit;
using ControlPlane.Domain.Common;
using ControlPlane.Domain.Governance;
using ControlPlane.Domain.Identity;
using ControlPlane.Domain.Identity.Oidc;
using ControlPlane.Web.Apis;
using ControlPlane.Web.Tests.Governance;
using ControlPlane.Web.Tests.Registry;
using Microsoft.Extensions.DependencyInjection;

namespace ControlPlane.Web.Tests.SingleSignOn;

/// <summary>
/// E-signatures of identity-provider users: a sealed proof of a fresh sign-in there takes the password's place. The
/// proof is made here as the provider's callback makes it (the browser flow through a real provider is in the
/// end-to-end tests); the signing service must refuse a replayed, stale, too old, foreign or edited one.
/// </summary>
[Collection(WebCollection.Name)]
public sealed class IdpSignatureTests(ControlPlaneWebFactory app)
{
    private IdpReauthentications Proofs => app.Services.GetRequiredService<IdpReauthentications>();

    private static DateTime WholeSecond(DateTime t) => t.AddTicks(-(t.Ticks % TimeSpan.TicksPerSecond));

    private DateTime Now => app.Services.GetRequiredService<TimeProvider>().GetUtcNow().UtcDateTime;

    private async Task<(ControlPlaneUser User, string Subject)> IdpReviewerAsync()
    {
        using var admin = app.ClientWithToken(ControlPlaneWebFactory.AdminToken);
        (await admin.PutAsJsonAsync("/api/v1/admin/oidc/group-mappings", new GroupMappingsRequest([new GroupMappingItem("sig-reviewers", ControlPlaneRoles.ComplianceReviewer)])))
            .EnsureSuccessStatusCode();
        var subject = Guid.NewGuid().ToString("N");
        var user = await app.Services.GetRequiredService<OidcSignIns>().SignInAsync(new ExternalIdentity(SsoTestData.Issuer, subject, "r" + subject[..8], null, ["sig-reviewers"]));
        return (user, subject);
    }

    private async Task<(HttpClient Scientist, PromotionView Request)> PendingRequestAsync()
    {
        var (_, scientist) = await app.UserAsync(ControlPlaneRoles.DataScientist);
        var model = await scientist.ModelWithVersionsAsync();
        return (scientist, await scientist.RequestedAsync(model, 1));
    }

    private Task<PromotionView> SignAsync(ControlPlaneUser signer, Guid request, string proof) =>
        app.As<Promotions>(SsoTestData.ActorOf(signer.Id, signer.UserName!, ControlPlaneRoles.ComplianceReviewer))
            .DecideAsync(request, new DecisionInput(DecisionKind.Approve, SignatureMeaning.Approved, "reviewed at the IdP", "", null, proof));

    [Fact]
    public async Task A_fresh_provider_sign_in_signs_once_and_the_signature_records_issuer_and_auth_time()
    {
        var (reviewer, subject) = await IdpReviewerAsync();
        var (scientist, request) = await PendingRequestAsync();
        var started = Now.AddSeconds(-3);
        var authTime = WholeSecond(Now.AddSeconds(-1));
        var proof = Proofs.Seal(new IdpReauthentication(reviewer.Id, SsoTestData.Issuer, subject, authTime, started));

        await SignAsync(reviewer, request.Id, proof);

        var signature = Assert.Single((await scientist.PromotionAsync(request.Id)).Signatures);
        Assert.Equal((reviewer.UserName, SsoTestData.Issuer, authTime), (signature.SignerName, signature.IdpIssuer, signature.IdpAuthTime));

        // Replayed on another request: refused, audited, nothing signed.
        var (_, other) = await PendingRequestAsync();
        var replay = await Assert.ThrowsAsync<AuthenticationFailedException>(() => SignAsync(reviewer, other.Id, proof));
        Assert.Contains("already signed a decision", replay.Message);
        Assert.Empty((await scientist.PromotionAsync(other.Id)).Signatures);
        Assert.Contains(await app.EventsAsync(AuditActions.SignatureFailed, other.Id.ToString()), e => e.Reason!.Contains("already signed"));
    }

    public static TheoryData<string, int, int, string> Refused => new()
    {
        // which, auth_time and start relative to now (s), the reason's words
        { "stale: the provider did not ask again (auth_time before the start)", -600, -5, "did not ask for the password again" },
        { "too old: started and signed in longer ago than SignatureMaxAge", -400, -401, "older than 5 minutes" },
        { "another subject at the provider", -1, -3, "someone else" },
        { "made for another ControlPlane user", -1, -3, "another user" },
        { "edited after sealing", -1, -3, "not valid" },
    };

    [Theory]
    [MemberData(nameof(Refused))]
    public async Task A_proof_that_does_not_fit_refuses_the_signature_and_signs_nothing(string which, int authSeconds, int startSeconds, string reason)
    {
        var (reviewer, subject) = await IdpReviewerAsync();
        var (scientist, request) = await PendingRequestAsync();
        var proof = new IdpReauthentication(reviewer.Id, SsoTestData.Issuer, subject, WholeSecond(Now.AddSeconds(authSeconds)), Now.AddSeconds(startSeconds));
        var (otherUser, _) = which.StartsWith("made for another", StringComparison.Ordinal) ? await IdpReviewerAsync() : (null, null);
        proof = which switch
        {
            _ when which.StartsWith("another subject", StringComparison.Ordinal) => proof with { Subject = "someone-else" },
            _ when otherUser is not null => proof with { UserId = otherUser.Id },
            _ => proof,
        };
        var sealedProof = Proofs.Seal(proof);
        if (which.StartsWith("edited", StringComparison.Ordinal))
            sealedProof = sealedProof[..^4] + (sealedProof[^4] == 'A' ? "B" : "A") + sealedProof[^3..];

        var refused = await Assert.ThrowsAsync<AuthenticationFailedException>(() => SignAsync(reviewer, request.Id, sealedProof));

        Assert.Contains(reason, refused.Message);
        Assert.EndsWith("Nothing was signed.", refused.Message);
        Assert.Empty((await scientist.PromotionAsync(request.Id)).Signatures);
        Assert.Contains(await app.EventsAsync(AuditActions.SignatureFailed, request.Id.ToString()), e => e.Reason!.Contains(reason));
    }

    [Fact]
    public async Task A_local_reviewer_cannot_sign_with_a_provider_proof_through_the_api()
    {
        var (idpReviewer, subject) = await IdpReviewerAsync();
        var (_, localReviewer) = await app.UserAsync(ControlPlaneRoles.ComplianceReviewer);
        var (scientist, request) = await PendingRequestAsync();
        var proof = Proofs.Seal(new IdpReauthentication(idpReviewer.Id, SsoTestData.Issuer, subject, WholeSecond(Now), Now.AddSeconds(-2)));

        var response = await localReviewer.PostAsJsonAsync($"/api/v1/promotions/{request.Id}/decisions",
            new DecisionInput(DecisionKind.Approve, SignatureMeaning.Approved, "borrowed proof", "", null, proof), RegistryClient.Json);

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.Empty((await scientist.PromotionAsync(request.Id)).Signatures);
    }
}
