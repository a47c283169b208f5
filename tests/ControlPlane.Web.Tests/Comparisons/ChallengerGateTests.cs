using System.Net.Http.Json;
using ControlPlane.Domain.Comparisons;
using ControlPlane.Domain.Governance;
using ControlPlane.Domain.Identity;
using ControlPlane.Domain.Persistence;
using ControlPlane.Web.Tests.Governance;
using ControlPlane.Web.Tests.Registry;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace ControlPlane.Web.Tests.Comparisons;

/// <summary>
/// Shadow traffic sent through ingest, compared through the API and the job server, and the comparison read by the
/// promotion gate "challenger not worse than champion at p &lt; α".
/// </summary>
[Collection(WebCollection.Name)]
public sealed class ChallengerGateTests(ControlPlaneWebFactory app)
{
    private static readonly PolicyRules Rules = new() { RequireNoDrift = false, RequireNoFailedJobs = false };

    [Fact]
    public async Task A_significantly_worse_challenger_fails_the_gate_and_one_that_is_not_passes()
    {
        var (user, scientist) = await app.UserAsync(ControlPlaneRoles.DataScientist);
        var (_, reviewer) = await app.UserAsync(ControlPlaneRoles.ComplianceReviewer);
        var model = await scientist.ModelWithVersionsAsync(3);
        await app.SetPolicyAsync(model, Rules);
        var first = await scientist.RequestedAsync(model, 1);
        Assert.True((await reviewer.SignAsync(first.Id)).IsSuccessStatusCode);

        // Version 1 serves; version 2 shadows ids a0…a19 and version 3 shadows b0…b19. Actual "yes" for the first ten.
        // v1 is wrong on a0, a1 (and b0, b1); v2 is wrong on a2…a11; v3 only on b0.
        var ingest = await app.IngestClientAsync(user);
        static string Flip(string label) => label == "yes" ? "no" : "yes";
        var a = Enumerable.Range(0, 20).Select(i => (Id: $"a{i}", Actual: i < 10 ? "yes" : "no", i)).ToList();
        await ingest.SendAsync(model, 1, 2, a.Select(r => (r.Id, r.i < 2 ? Flip(r.Actual) : r.Actual, r.i is >= 2 and <= 11 ? Flip(r.Actual) : r.Actual, r.Actual)).ToList());
        var b = Enumerable.Range(0, 20).Select(i => (Id: $"b{i}", Actual: i < 10 ? "yes" : "no", i)).ToList();
        await ingest.SendAsync(model, 1, 3, b.Select(r => (r.Id, r.i < 2 ? Flip(r.Actual) : r.Actual, r.i == 0 ? Flip(r.Actual) : r.Actual, r.Actual)).ToList());

        var worse = await scientist.CompareAsync(model, new ComparisonRequest(Challenger: "2"));
        Assert.True(worse.Status == ComparisonStatus.Succeeded, worse.Error);
        Assert.Equal((1, 2, "shadow", 20L), (worse.ChampionVersion!.Value, worse.ChallengerVersion, worse.Mode, worse.Labelled!.Value));
        // b = 10 pairs only the champion got right (a2…a11), c = 2 only the challenger (a0, a1): exact McNemar on 12
        // discordant pairs. P(X ≥ 10 | 12, ½) = (66 + 12 + 1)/4096; two-sided twice that. Difference (2 − 10)/20.
        var test = Assert.Single(worse.Result!.Tests, t => t.Metric == "accuracy"); // beside it, each class's recall (Holm-adjusted)
        Assert.Equal(("accuracy", "McNemar (exact)", 18 / 20.0, 10 / 20.0), (test.Metric, test.Test, test.Champion, test.Challenger));
        Assert.Equal(-0.4, test.Difference, 12);
        Assert.Equal(79 / 4096.0, test.PWorse, 15);
        Assert.Equal(158 / 4096.0, test.PValue, 15);
        Assert.Equal(8 / 20.0, worse.Result.Agreement!.SameLabel!.Value, 12); // 12 of 20 pairs differ in label
        Assert.Equal((10.0, 30.0), (worse.Result.Champion.Latency!.P99, worse.Result.Challenger.Latency!.P99));

        await app.SetPolicyAsync(model, Rules with { ChallengerNotWorse = new ChallengerGate("accuracy", 0.05, 20) });
        var refused = await scientist.RequestedAsync(model, 2);
        var failing = Assert.Single(refused.Gates, g => g.Key == "challenger");
        Assert.False(failing.Passed);
        Assert.Contains("one-sided p(worse) = 0.0193", failing.Detail);
        Assert.Equal(worse.Id, refused.Evidence.Challenger!.ComparisonId);
        (await scientist.PostAsJsonAsync($"/api/v1/promotions/{refused.Id}/withdraw", new ReasonInput("worse"), RegistryClient.Json)).EnsureSuccessStatusCode();

        // Version 3 without a comparison fails ("none"); with one (b = 0, c = 1: p(worse) = 1) it passes.
        var uncompared = await scientist.RequestedAsync(model, 3);
        Assert.Contains("No succeeded comparison of v3", Assert.Single(uncompared.Gates, g => g.Key == "challenger").Detail);
        (await scientist.PostAsJsonAsync($"/api/v1/promotions/{uncompared.Id}/withdraw", new ReasonInput("compare first"), RegistryClient.Json)).EnsureSuccessStatusCode();
        var better = await scientist.CompareAsync(model, new ComparisonRequest(Champion: "1", Challenger: "3"));
        Assert.Equal(1.0, Assert.Single(better.Result!.Tests, t => t.Metric == "accuracy").PWorse);
        var passed = await scientist.RequestedAsync(model, 3);
        var passing = Assert.Single(passed.Gates, g => g.Key == "challenger");
        Assert.True(passing.Passed, passing.Detail);

        // A newer comparison finds version 3 worse before the reviewer signs: the decision re-reads the evidence.
        await WorseComparisonAsync(model, champion: 1, challenger: 3);
        var signed = await reviewer.SignAsync(passed.Id);
        Assert.Equal(System.Net.HttpStatusCode.Conflict, signed.StatusCode);
        Assert.Contains("Challenger not worse than champion on accuracy at p < 0.05 now fails", await signed.Content.ReadAsStringAsync());
        Assert.NotEqual(Domain.Registry.LifecycleStage.Production, (await scientist.VersionAsync(model, 3)).Stage);
    }

    private async Task WorseComparisonAsync(string model, int champion, int challenger)
    {
        await using var db = await app.Services.GetRequiredService<IDbContextFactory<ControlPlaneDbContext>>().CreateDbContextAsync();
        var modelId = await db.Models.Where(m => m.Name == model).Select(m => m.Id).SingleAsync();
        var now = DateTime.UtcNow;
        var side = new ComparisonSide(champion, 50, 50, 1, new Dictionary<string, double>(), null);
        var result = new ComparisonResult
        {
            Mode = "shadow", Champion = side, Challenger = side with { Version = challenger }, Pairs = 50,
            Tests = [new MetricComparison("accuracy", "McNemar (chi-square, continuity-corrected)", true, 50, 50, 0.9, 0.7, -0.2, -0.3, -0.1, 0.002, 0.001)],
        };
        db.ChallengerComparisons.Add(new ChallengerComparison
        {
            Id = Guid.CreateVersion7(), ModelId = modelId, ChampionRef = $"version:{champion}", ChampionVersion = champion, ChallengerRef = $"version:{challenger}",
            ChallengerVersion = challenger, FromUtc = now.AddHours(-2), ToUtc = now, Status = ComparisonStatus.Succeeded, Mode = "shadow", Labelled = 50,
            Results = result.ToJson(), RequestedBy = "someone", RequestedAtUtc = now, StartedAtUtc = now, CompletedAtUtc = now.AddMinutes(1),
        });
        using (Domain.Audit.AuditAmbient.BeginAction("comparison.requested", "comparison", "test"))
            await db.SaveChangesAsync();
    }

    [Fact]
    public async Task Policies_without_the_gate_keep_their_json_and_a_bad_gate_is_refused_with_the_field_named()
    {
        Assert.DoesNotContain("challenger", Rules.ToJson(), StringComparison.OrdinalIgnoreCase);
        var (_, scientist) = await app.UserAsync(ControlPlaneRoles.DataScientist);
        var model = await scientist.ModelWithVersionsAsync();
        var refused = await Assert.ThrowsAsync<InvalidOperationException>(() => app.SetPolicyAsync(model, Rules with { ChallengerNotWorse = new ChallengerGate("f1", 0.05, 10) }));
        Assert.Contains("challengerNotWorse", refused.Message);
        refused = await Assert.ThrowsAsync<InvalidOperationException>(() => app.SetPolicyAsync(model, Rules with { ChallengerNotWorse = new ChallengerGate("accuracy", 0.5, 10) }));
        Assert.Contains("alpha", refused.Message);
        var request = await scientist.RequestedAsync(model, 1);
        Assert.Null(request.Evidence.Challenger);
        Assert.DoesNotContain("challenger", request.Evidence.ToJson(), StringComparison.OrdinalIgnoreCase);
    }
}
