using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using ControlPlane.Domain.Audit;
using ControlPlane.Domain.Common;
using ControlPlane.Domain.Identity;
using ControlPlane.Web.Apis;

namespace ControlPlane.Web.Tests.Audit;

[Collection(WebCollection.Name)]
public sealed class AuditApiTests(ControlPlaneWebFactory app)
{
    private HttpClient Admin => app.ClientWithToken(ControlPlaneWebFactory.AdminToken);

    [Fact]
    public async Task Reviewers_search_by_entity_and_action_and_get_the_entity_history_in_order()
    {
        var user = await CreateUserAsync();
        await Admin.PostAsync($"/api/v1/admin/users/{user.Id}/disable", null);
        await Admin.PostAsync($"/api/v1/admin/users/{user.Id}/enable", null);
        var reviewer = app.ClientWithToken(app.RoleTokens[ControlPlaneRoles.ComplianceReviewer]);

        var page = await reviewer.GetFromJsonAsync<Page<AuditEventView>>($"/api/v1/audit?entityType=user&entityId={user.Id}&action=user.*");
        var history = await reviewer.GetFromJsonAsync<List<AuditEventView>>($"/api/v1/audit/history/user/{user.Id}");

        Assert.Equal([AuditActions.UserEnabled, AuditActions.UserDisabled, AuditActions.UserCreated], page!.Items.Select(e => e.Action));
        Assert.Equal([AuditActions.UserCreated, AuditActions.UserDisabled, AuditActions.UserEnabled], history!.Select(e => e.Action));
        Assert.All(page!.Items, e => Assert.Equal("admin", e.ActorName));
        Assert.Equal(new AuditChange("user", user.Id, "IsDisabled", "false", "true"), Assert.Single(history![1].Changes));
    }

    [Fact]
    public async Task Data_scientists_cannot_read_the_audit_trail_and_the_refusal_is_itself_audited()
    {
        var scientist = app.ClientWithToken(app.RoleTokens[ControlPlaneRoles.DataScientist]);
        var correlation = $"denied-{Guid.NewGuid():N}";
        var request = new HttpRequestMessage(HttpMethod.Get, "/api/v1/audit");
        request.Headers.Add("X-Correlation-Id", correlation);

        var response = await scientist.SendAsync(request);

        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
        var denied = await Admin.GetFromJsonAsync<Page<AuditEventView>>($"/api/v1/audit?action={AuditActions.AccessDenied}&pageSize=200");
        var e = Assert.Single(denied!.Items, e => e.CallerCorrelationId == correlation);
        Assert.Equal("datascientist-fixture", e.ActorName);
        Assert.Equal("GET /api/v1/audit", e.Reason);
        // The event's own correlation id is the server's: a caller cannot borrow another request's id.
        Assert.NotEqual(correlation, e.CorrelationId);
        Assert.Matches("^[0-9a-f]{32}$", e.CorrelationId);
    }

    [Fact]
    public async Task A_callers_correlation_id_is_kept_beside_the_servers_own()
    {
        var request = new HttpRequestMessage(HttpMethod.Post, "/api/v1/admin/users")
        {
            Content = JsonContent.Create(new CreateUserRequest($"cor-{Guid.NewGuid():N}"[..12], $"c{Guid.NewGuid():N}@example.test", ControlPlaneWebFactory.Password, [ControlPlaneRoles.DataScientist])),
        };
        request.Headers.Add("X-Correlation-Id", "export-of-someone-else");

        var response = await Admin.SendAsync(request);

        var created = await response.Content.ReadFromJsonAsync<UserSummary>();
        var server = response.Headers.GetValues("X-Correlation-Id").Single();
        Assert.NotEqual("export-of-someone-else", server);
        var history = await Admin.GetFromJsonAsync<List<AuditEventView>>($"/api/v1/audit/history/user/{created!.Id}");
        var e = Assert.Single(history!);
        Assert.Equal((server, "export-of-someone-else"), (e.CorrelationId, e.CallerCorrelationId));
    }

    [Fact]
    public async Task A_forbidden_request_with_a_very_long_path_is_a_403_and_audited_cut_to_size()
    {
        var scientist = app.ClientWithToken(app.RoleTokens[ControlPlaneRoles.DataScientist]);
        var id = $"long-{Guid.NewGuid():N}" + new string('x', 3000);

        var response = await scientist.GetAsync($"/api/v1/audit/history/user/{id}");

        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
        var denied = await Admin.GetFromJsonAsync<Page<AuditEventView>>($"/api/v1/audit?action={AuditActions.AccessDenied}&pageSize=200");
        var e = Assert.Single(denied!.Items, e => e.Reason!.Contains(id[..37]));
        Assert.Equal(AuditOrigin.MaxReasonLength, e.Reason!.Length);
    }

    [Fact]
    public async Task Refused_tokens_are_audited_by_token_id_never_by_secret()
    {
        var issued = await (await app.ClientWithToken(null).PostAsJsonAsync("/api/v1/auth/tokens", new IssueTokenRequest("admin", ControlPlaneWebFactory.Password, "to revoke", 1)))
            .Content.ReadFromJsonAsync<IssuedToken>();
        await Admin.DeleteAsync($"/api/v1/auth/tokens/{issued!.Id}");
        var unknown = "cpat_" + Guid.NewGuid().ToString("N");

        var revoked = await app.ClientWithToken(issued.Token).GetAsync("/api/v1/audit");
        var bogus = await app.ClientWithToken(unknown).GetAsync("/api/v1/audit");

        Assert.Equal(HttpStatusCode.Unauthorized, revoked.StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, bogus.StatusCode);
        var refused = await Admin.GetFromJsonAsync<Page<AuditEventView>>($"/api/v1/audit?action={AuditActions.TokenRefused}&pageSize=200");
        var e = Assert.Single(refused!.Items, e => e.EntityId == issued.Id.ToString());
        Assert.Equal(("token", "anonymous"), (e.EntityType, e.ActorName));
        Assert.StartsWith("revoked token", e.Reason);
        Assert.Contains(refused.Items, x => x.EntityId is null && x.Reason!.StartsWith("unknown token"));
        var export = await Admin.GetStringAsync("/api/v1/audit/export?format=jsonl");
        Assert.DoesNotContain(issued.Token, export);
        Assert.DoesNotContain(unknown, export);
        Assert.DoesNotContain(ControlPlane.Domain.Identity.AccessTokenService.Hash(unknown), export);
    }

    [Fact]
    public async Task Verification_over_the_api_reports_an_intact_chain_anchored_by_a_signed_digest()
    {
        var digest = await (await Admin.PostAsync("/api/v1/audit/digests", null)).Content.ReadFromJsonAsync<AuditDigestEntry>();
        var response = await Admin.PostAsync("/api/v1/audit/verify", null);

        var result = await response.Content.ReadFromJsonAsync<AuditVerification>();
        Assert.True(result!.Intact, result.Problem);
        Assert.Equal(AuditVerification.IntactState, result.State);
        Assert.True(result.EventsChecked > 5);
        Assert.True(result.AnchoredSequence >= digest!.Sequence);
    }

    [Fact]
    public async Task The_digest_file_and_the_public_key_are_published_and_verify_each_other()
    {
        await Admin.PostAsync("/api/v1/audit/digests", null);

        var pem = await app.ClientWithToken(null).GetStringAsync("/api/v1/audit/public-key");
        var digests = await Admin.GetStringAsync("/api/v1/audit/digests");

        using var key = System.Security.Cryptography.ECDsa.Create();
        key.ImportFromPem(pem);
        var lines = digests.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.NotEmpty(lines);
        foreach (var line in lines)
        {
            var r = JsonDocument.Parse(line).RootElement;
            var payload = AuditDigestLine.Payload(r.GetProperty("sequence").GetInt64(), r.GetProperty("hash").GetString()!,
                r.GetProperty("utcTime").GetString()!, r.GetProperty("previous").GetString()!);
            Assert.True(key.VerifyData(System.Text.Encoding.UTF8.GetBytes(payload), Convert.FromBase64String(r.GetProperty("signature").GetString()!),
                System.Security.Cryptography.HashAlgorithmName.SHA256, System.Security.Cryptography.DSASignatureFormat.Rfc3279DerSequence));
        }
    }

    [Fact]
    public async Task Ten_concurrent_digest_requests_leave_a_verifiable_digest_chain()
    {
        var responses = await Task.WhenAll(Enumerable.Range(0, 10).Select(_ => Admin.PostAsync("/api/v1/audit/digests", null)));

        Assert.All(responses, r => Assert.Equal(HttpStatusCode.OK, r.StatusCode));
        var verify = await Admin.PostAsync("/api/v1/audit/verify", null);
        Assert.Equal(HttpStatusCode.OK, verify.StatusCode);
        var result = await verify.Content.ReadFromJsonAsync<AuditVerification>();
        Assert.True(result!.Intact, result.Problem);
        var sequences = (await Admin.GetStringAsync("/api/v1/audit/digests")).Split('\n', StringSplitOptions.RemoveEmptyEntries)
            .Select(l => JsonDocument.Parse(l).RootElement.GetProperty("sequence").GetInt64()).ToList();
        Assert.Equal(sequences.Distinct().Count(), sequences.Count);
    }

    [Fact]
    public async Task A_json_lines_export_verifies_on_its_own()
    {
        await CreateUserAsync();
        var text = await Admin.GetStringAsync("/api/v1/audit/export?format=jsonl");

        var lines = text.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.True(lines.Length > 3);
        var previous = AuditChain.GenesisHash;
        foreach (var line in lines)
        {
            using var doc = JsonDocument.Parse(line);
            var r = doc.RootElement;
            string? S(string name) => r.GetProperty(name).ValueKind == JsonValueKind.Null ? null : r.GetProperty(name).GetString();
            var canonical = AuditChain.Canonicalize(r.GetProperty("sequence").GetInt64(),
                DateTime.Parse(S("occurredAt")!, null, System.Globalization.DateTimeStyles.AdjustToUniversal),
                S("actorId"), S("actorName")!, S("action")!, S("entityType"), S("entityId"), r.GetProperty("changes").GetRawText(),
                S("reason"), S("correlationId"), S("clientIp"), S("keyId"), S("callerCorrelationId"));
            Assert.Equal(previous, S("previousHash"));
            Assert.Equal(S("hash"), AuditChain.ComputeHash(canonical, previous));
            previous = S("hash")!;
        }
    }

    [Fact]
    public async Task User_text_cannot_forge_records_or_formulas_in_exports()
    {
        var name = $"forge-{Guid.NewGuid():N}"[..14];
        // A token's name is user-controlled text in the trail (in the created token's field changes).
        var attempted = $"{name}\n999,2026-01-01T00:00:00.0000000Z,,admin,user.deleted\r\n=HYPERLINK(\"http://x\")";
        var issued = await app.ClientWithToken(null).PostAsJsonAsync("/api/v1/auth/tokens", new IssueTokenRequest("admin", ControlPlaneWebFactory.Password, attempted, 1));
        Assert.True(issued.IsSuccessStatusCode);

        var jsonl = await Admin.GetStringAsync($"/api/v1/audit/export?format=jsonl&action={AuditActions.TokenCreated}");
        var csv = await Admin.GetStringAsync($"/api/v1/audit/export?format=csv&action={AuditActions.TokenCreated}");

        var line = Assert.Single(jsonl.Split('\n', StringSplitOptions.RemoveEmptyEntries), l => l.Contains(name));
        Assert.Contains(JsonDocument.Parse(line).RootElement.GetProperty("changes").EnumerateArray(), c => c[3].ValueKind == JsonValueKind.Null && c[4].GetString() == attempted);
        var records = Rfc4180.Parse(csv);
        Assert.Equal("sequence", records[0][0]);
        var record = Assert.Single(records, r => r[7].Contains(name));
        Assert.Equal(13, record.Length);
        Assert.DoesNotContain(records, r => r[0] == "999");
    }

    [Fact]
    public async Task Csv_cells_that_would_run_as_formulas_are_neutralized_reversibly()
    {
        Assert.Equal("'=1+2", AuditExportWriter.Cell("=1+2"));
        Assert.Equal("'-5", AuditExportWriter.Cell("-5"));
        Assert.Equal("''quoted", AuditExportWriter.Cell("'quoted"));
        Assert.Equal("\"a,\"\"b\"\"\"", AuditExportWriter.Cell("a,\"b\""));
        Assert.Equal("plain", AuditExportWriter.Cell("plain"));
        await Task.CompletedTask;
    }

    [Fact]
    public async Task An_unknown_export_format_is_a_400()
    {
        var response = await Admin.GetAsync("/api/v1/audit/export?format=xlsx");

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
    }

    private async Task<UserSummary> CreateUserAsync()
    {
        var name = $"aud-{Guid.NewGuid():N}"[..12];
        var response = await Admin.PostAsJsonAsync("/api/v1/admin/users",
            new CreateUserRequest(name, $"{name}@example.test", ControlPlaneWebFactory.Password, [ControlPlaneRoles.DataScientist]));
        return (await response.Content.ReadFromJsonAsync<UserSummary>())!;
    }
}
