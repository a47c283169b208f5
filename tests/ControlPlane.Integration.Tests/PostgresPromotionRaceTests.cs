using ControlPlane.Domain.Audit;
using ControlPlane.Domain.Common;
using ControlPlane.Domain.Governance;
using ControlPlane.Domain.Identity;
using ControlPlane.Domain.Registry;
using ControlPlane.TestModels;
using ControlPlane.TestSupport;
using ControlPlane.Workers.Inspection;
using Microsoft.Extensions.DependencyInjection;

namespace ControlPlane.Integration.Tests;

/// <summary>Governance on the PostgreSQL server: many reviewers signing one request at once end in exactly one final state.</summary>
public sealed class PostgresPromotionRaceTests
{
    private const string Password = "correct horse battery";
    private static readonly Actor Admin = new("admin-id", "admin", new HashSet<string> { ControlPlaneRoles.Admin }, true);
    private static readonly Actor Scientist = new("scientist-id", "dana", new HashSet<string> { ControlPlaneRoles.DataScientist }, true);

    [Fact]
    public async Task Concurrent_approvals_and_rejections_end_in_one_final_state_and_one_signature()
    {
        await using var host = await DomainHost.StartAsync(new Dictionary<string, string?>
        {
            ["Database:Provider"] = "PostgreSql",
            ["ConnectionStrings:ControlPlane"] = await PostgresServer.CreateDatabaseAsync(),
        }, s => s.AddSingleton<IArtifactInspector, ArtifactInspector>());
        var reviewers = new List<Actor>();
        for (var i = 0; i < 10; i++)
        {
            var user = await host.As<UserAdministration>(Admin).CreateAsync(new NewUser($"reviewer{i}", $"reviewer{i}@example.test", Password, [ControlPlaneRoles.ComplianceReviewer]));
            reviewers.Add(new Actor(user.Id, user.UserName, new HashSet<string> { ControlPlaneRoles.ComplianceReviewer }, true));
        }
        var registry = host.As<ModelRegistry>(Scientist);
        await registry.CreateModelAsync("scorer", null, null);
        await registry.RegisterVersionAsync("scorer", new MemoryStream(HandBuiltOnnx.Identity()), "m.onnx",
            new VersionMetadata(ModelCard: new ModelCard("scoring", "none known", "low", "team")));
        // Two approvals needed: the race also covers approvals that count toward N while others try to reject.
        await host.As<PromotionPolicies>(Admin).SaveAsync("scorer", new PolicySaveRequest(new PolicyRules { RequiredApprovals = 2 }, "two signers"));
        var request = await host.As<Promotions>(Scientist).RequestAsync(new PromotionRequestInput("scorer", 1, new PromotionTarget(LifecycleStage.Production), "ready"));

        var outcomes = await Task.WhenAll(reviewers.Select(async (reviewer, i) =>
        {
            try
            {
                await host.As<Promotions>(reviewer).DecideAsync(request.Id, new DecisionInput(
                    i % 3 == 0 ? DecisionKind.Reject : DecisionKind.Approve, i % 3 == 0 ? SignatureMeaning.Rejected : SignatureMeaning.Approved, $"reviewer {i}", Password));
                return "signed";
            }
            catch (ConflictException)
            {
                return "conflict";
            }
        }));

        var final = await host.As<Promotions>(Scientist).GetAsync(request.Id);
        Assert.NotEqual(PromotionStatus.Pending, final.Status);
        Assert.Equal(outcomes.Count(o => o == "signed"), final.Signatures.Count);
        Assert.Equal(outcomes.Length - final.Signatures.Count, outcomes.Count(o => o == "conflict"));
        // The host's clock is frozen, so every signature carries the same time and their listed order says nothing;
        // the counts do: the one closing signature, after approvals that each left the request pending.
        var approvals = final.Signatures.Count(s => s.Decision == DecisionKind.Approve);
        var rejections = final.Signatures.Count(s => s.Decision == DecisionKind.Reject);
        if (final.Status == PromotionStatus.Rejected)
            Assert.Equal((1, true), (rejections, approvals < 2)); // two approvals first would have approved it
        else
        {
            Assert.Equal(PromotionStatus.Approved, final.Status);
            Assert.Equal((2, 0), (approvals, rejections));
        }
        var stage = (await registry.GetVersionAsync("scorer", 1)).Stage;
        Assert.Equal(final.Status == PromotionStatus.Approved ? LifecycleStage.Production : LifecycleStage.None, stage);
        var verdict = await host.VerifyAuditAsync();
        Assert.True(verdict.Intact, verdict.Problem);
    }
}
