using System.Net;
using System.Net.Http.Json;
using System.Text;
using ControlPlane.Domain.Common;
using ControlPlane.Domain.Identity;
using ControlPlane.Domain.Production;
using ControlPlane.Domain.Production.Ingest;
using ControlPlane.TestModels;
using ControlPlane.Web.Apis;
using ControlPlane.Web.Tests.Registry;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Extensions.DependencyInjection;
using static ControlPlane.Web.Tests.Production.IngestFixture;

namespace ControlPlane.Web.Tests.Production;

/// <summary>
/// Who may send telemetry (the scoped-token matrix, and the service refusing when the endpoint's filter is not in the
/// way), and back-pressure: with every slot held, the next batch is a 429 with Retry-After.
/// </summary>
[Collection(WebCollection.Name)]
public sealed class IngestAccessTests(ControlPlaneWebFactory app)
{
    private HttpClient Admin => app.ClientWithToken(ControlPlaneWebFactory.AdminToken);

    [Fact]
    public async Task An_ingest_only_token_sends_to_its_model_and_does_nothing_else_and_a_read_write_token_cannot_send()
    {
        var user = $"ds-{Guid.NewGuid():N}"[..12];
        (await Admin.PostAsJsonAsync("/api/v1/admin/users", new CreateUserRequest(user, $"{user}@example.test", ControlPlaneWebFactory.Password, [ControlPlaneRoles.DataScientist]))).EnsureSuccessStatusCode();
        var owner = app.ClientWithToken(await app.IssueTokenAsync(user));
        var mine = await ModelAsync(owner);
        var other = await ModelAsync(owner);
        var ingest = app.ClientWithToken(await IssueTokenAsync(app, user, ["ingest"], [mine]));
        var readWrite = app.ClientWithToken(await IssueTokenAsync(app, user, ["read", "write"]));

        var sent = await ingest.PostAsync($"/api/v1/models/{mine}/predictions", Json(Batch("t1")));
        Assert.Equal(HttpStatusCode.OK, sent.StatusCode);
        Assert.Equal(1, (await sent.Content.ReadFromJsonAsync<IngestResult>())!.Accepted);
        Assert.Equal(HttpStatusCode.OK, (await ingest.PostAsync($"/api/v1/models/{mine}/actuals", Json("""[{"predictionId":"t1","actual":"true","timestamp":"2026-01-01T00:00:00Z"}]"""))).StatusCode);

        await RefusedAsync(await ingest.PostAsync($"/api/v1/models/{other}/predictions", Json(Batch("t2"))), $"limited to the models {mine}");
        await RefusedAsync(await ingest.UploadAsync(mine, HandBuiltOnnx.Identity(2)), "lacks the write scope");
        await RefusedAsync(await ingest.PatchAsJsonAsync($"/api/v1/models/{mine}", new { description = "no" }), "lacks the write scope");
        await RefusedAsync(await ingest.GetAsync($"/api/v1/models/{mine}"), "lacks the read scope");
        await RefusedAsync(await ingest.GetAsync($"/api/v1/models/{other}"), "lacks the read scope");
        await RefusedAsync(await readWrite.PostAsync($"/api/v1/models/{mine}/predictions", Json(Batch("t3"))), "lacks the ingest scope");
        // Another data scientist's ingest token, even one limited to this model, does not speak for it.
        var stranger = $"ds-{Guid.NewGuid():N}"[..12];
        (await Admin.PostAsJsonAsync("/api/v1/admin/users", new CreateUserRequest(stranger, $"{stranger}@example.test", ControlPlaneWebFactory.Password, [ControlPlaneRoles.DataScientist]))).EnsureSuccessStatusCode();
        var strangerIngest = app.ClientWithToken(await IssueTokenAsync(app, stranger, ["ingest"], [mine]));
        await RefusedAsync(await strangerIngest.PostAsync($"/api/v1/models/{mine}/predictions", Json(Batch("t4"))), $"belongs to {user}");
        await RefusedAsync(await strangerIngest.PostAsync($"/api/v1/models/{mine}/actuals", Json("""[{"predictionId":"t1","actual":"false","timestamp":"2026-01-01T00:00:00Z"}]""")), $"belongs to {user}");
        Assert.Empty(await SegmentsAsync(app, other));
        Assert.Single(await SegmentsAsync(app, mine), s => s.Kind == TelemetryKind.Predictions);
    }

    [Fact]
    public async Task A_reviewers_ingest_token_cannot_send_and_the_service_refuses_without_the_endpoint_filter()
    {
        var model = await ModelAsync(app.ClientWithToken(app.RoleTokens[ControlPlaneRoles.DataScientist]));
        var reviewer = app.ClientWithToken(await IssueTokenAsync(app, "compliancereviewer-fixture", ["ingest"]));

        await RefusedAsync(await reviewer.PostAsync($"/api/v1/models/{model}/predictions", Json(Batch("r1"))), "needs the role DataScientist or Admin");

        // Around the endpoint: the service itself, called by a read/write token of a data scientist.
        using var scope = app.Services.CreateScope();
        scope.ServiceProvider.GetRequiredService<ActorContext>().Current =
            new Actor("someone", "someone", new HashSet<string> { ControlPlaneRoles.DataScientist }, true) { Scopes = TokenScopes.Read | TokenScopes.Write };
        var ingest = scope.ServiceProvider.GetRequiredService<TelemetryIngest>();
        var refused = await Assert.ThrowsAsync<ForbiddenException>(() => ingest.IngestAsync(model, TelemetryKind.Predictions, IngestFormat.Json,
            new MemoryStream(Encoding.UTF8.GetBytes(Batch("r2"))), null, default));
        Assert.Contains("lacks the ingest scope", refused.Message);
        Assert.Empty(await SegmentsAsync(app, model));
    }

    [Fact]
    public async Task An_alias_is_resolved_to_the_version_it_points_at_when_the_batch_arrives()
    {
        var scientist = app.ClientWithToken(app.RoleTokens[ControlPlaneRoles.DataScientist]);
        var model = await ModelAsync(scientist);
        var t = Iso(RecentHour());
        (await scientist.PostAsync($"/api/v1/models/{model}/predictions", Json($$"""[{"predictionId":"a","timestamp":"{{t}}","version":"serving","features":{"age":1,"income":2,"channel":"x"} }]"""))).EnsureSuccessStatusCode();
        (await scientist.PutAsJsonAsync($"/api/v1/models/{model}/aliases/serving", new SetAliasRequest(2, "next to serve"))).EnsureSuccessStatusCode();
        var moved = await scientist.PostAsync($"/api/v1/models/{model}/predictions", Json($$"""[{"predictionId":"b","timestamp":"{{t}}","version":"serving","features":{"X_0":1,"X_1":2} }]"""));

        Assert.Equal(1, (await moved.Content.ReadFromJsonAsync<IngestResult>())!.Accepted);
        var segments = await SegmentsAsync(app, model);
        var files = new List<Dictionary<string, object?[]>>();
        foreach (var segment in segments)
            files.Add(await ReadAsync(app, segment));
        var first = files.Single(f => (string?)f["prediction_id"][0] == "a");
        var second = files.Single(f => (string?)f["prediction_id"][0] == "b");
        Assert.Equal([1], first["version"]);
        Assert.Equal([2], second["version"]);
        Assert.Equal(["serving"], first["alias"]);
        Assert.Equal(["serving"], second["alias"]);
    }

    [Fact]
    public async Task With_every_slot_held_the_next_batch_is_a_429_with_retry_after_and_the_held_ones_then_complete()
    {
        var scientist = app.ClientWithToken(app.RoleTokens[ControlPlaneRoles.DataScientist]);
        var model = await ModelAsync(scientist);
        var gate = app.Services.GetRequiredService<IngestGate>();
        var slots = app.Services.GetRequiredService<Microsoft.Extensions.Options.IOptions<ProductionOptions>>().Value.MaxConcurrentBatches;
        var release = new TaskCompletionSource();
        var held = Enumerable.Range(0, slots).Select(i => scientist.PostAsync($"/api/v1/models/{model}/predictions", new SlowContent(Batch($"h{i}"), release.Task))).ToList();
        await TestSupport.Eventually.GetAsync(() => Task.FromResult(gate.Busy == slots ? "" : null), TimeSpan.FromSeconds(30), "every ingest slot held");

        var refused = await scientist.PostAsync($"/api/v1/models/{model}/predictions", Json(Batch("late")));

        Assert.Equal(HttpStatusCode.TooManyRequests, refused.StatusCode);
        Assert.Equal(TimeSpan.FromSeconds(1), refused.Headers.RetryAfter?.Delta);
        release.SetResult();
        foreach (var response in await Task.WhenAll(held))
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(slots, (await SegmentsAsync(app, model)).Count);
    }

    private static string Batch(string id) =>
        $$"""[{"predictionId":"{{id}}","timestamp":"{{Iso(RecentHour())}}","version":1,"features":{"age":1,"income":2,"channel":"online"} }]""";

    /// <summary>A body that sends its first byte, then waits for <paramref name="release"/> before the rest: the request holds its slot meanwhile.</summary>
    private sealed class SlowContent : HttpContent
    {
        private readonly byte[] _bytes;
        private readonly Task _release;

        public SlowContent(string body, Task release)
        {
            _bytes = Encoding.UTF8.GetBytes(body);
            _release = release;
            Headers.ContentType = new System.Net.Http.Headers.MediaTypeHeaderValue("application/json");
        }

        protected override async Task SerializeToStreamAsync(Stream stream, System.Net.TransportContext? context)
        {
            await stream.WriteAsync(_bytes.AsMemory(0, 1));
            await stream.FlushAsync();
            await _release;
            await stream.WriteAsync(_bytes.AsMemory(1));
        }

        protected override bool TryComputeLength(out long length)
        {
            length = 0;
            return false;
        }
    }
}
