using System.Net;
using System.Net.Http.Json;
using System.Text;
using ControlPlane.Domain.Common;
using ControlPlane.Domain.Identity;
using ControlPlane.Domain.Registry;
using ControlPlane.TestModels;
using ControlPlane.Web.Apis;
using ControlPlane.Web.Tests.Datasets;
using ControlPlane.Web.Tests.Governance;
using ControlPlane.Web.Tests.Registry;
using ControlPlane.Web.Tests.Schedules;
using ControlPlane.Domain.Drift;

namespace ControlPlane.Web.Tests.Security;

/// <summary>Security review §7 and §8: malformed and hostile requests get a 400 ProblemDetails, never a 500, and store nothing odd.</summary>
[Collection(WebCollection.Name)]
public sealed class MalformedRequestTests(ControlPlaneWebFactory app)
{
    private const string Boundary = "cp-boundary";

    public static TheoryData<string, string> BrokenBodies() => new()
    {
        { "ends early", $"--{Boundary}\r\nContent-Disposition: form-data; name=\"file\"; filename=\"m.onnx\"\r\n\r\nabc" },
        { "ends inside the headers", $"--{Boundary}\r\nContent-Disposition: form-data; name=\"fi" },
        { "stray header line", $"--{Boundary}\r\nContent-Disposition: form-data; name=\"file\"; filename=\"m.onnx\"\r\nthis is not a header\r\n\r\nabc\r\n--{Boundary}--\r\n" },
        { "too many part headers", $"--{Boundary}\r\n{string.Concat(Enumerable.Range(0, 40).Select(i => $"X-H{i}: v\r\n"))}Content-Disposition: form-data; name=\"file\"; filename=\"m.onnx\"\r\n\r\nabc\r\n--{Boundary}--\r\n" },
        { "unreadable disposition", $"--{Boundary}\r\nContent-Disposition: ;;;=\"\r\n\r\nabc\r\n--{Boundary}--\r\n" },
    };

    [Theory]
    [MemberData(nameof(BrokenBodies))]
    public async Task Malformed_multipart_uploads_are_a_400_and_store_nothing(string why, string body)
    {
        var (_, scientist) = await app.UserAsync(ControlPlaneRoles.DataScientist);
        var model = await scientist.CreateModelAsync("mp");
        var dataset = await scientist.CreateDatasetAsync("mp");
        foreach (var url in new[] { $"/api/v1/models/{model}/versions", $"/api/v1/datasets/{dataset}/versions" })
        {
            var content = new ByteArrayContent(Encoding.UTF8.GetBytes(body));
            content.Headers.TryAddWithoutValidation("Content-Type", $"multipart/form-data; boundary={Boundary}");
            var response = await scientist.PostAsync(url, content);
            Assert.True(response.StatusCode == HttpStatusCode.BadRequest, $"{why} at {url}: {(int)response.StatusCode} {await response.Content.ReadAsStringAsync()}");
            Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        }
        Assert.Equal(0, (await scientist.GetFromJsonAsync<Page<ModelVersionView>>($"/api/v1/models/{model}/versions", RegistryClient.Json))!.TotalCount);
    }

    [Fact]
    public async Task The_job_dashboards_stats_answer_is_not_a_500()
    {
        using var admin = app.ClientWithToken(ControlPlaneWebFactory.AdminToken);
        foreach (var request in new[]
        {
            new HttpRequestMessage(HttpMethod.Get, "/jobs/stats"),
            new HttpRequestMessage(HttpMethod.Post, "/jobs/stats") { Content = new StringContent("not a form", Encoding.UTF8, "text/plain") },
        })
        {
            var response = await admin.SendAsync(request);
            Assert.True((int)response.StatusCode is >= 200 and < 500, $"{request.Method} /jobs/stats: {(int)response.StatusCode}");
        }
    }

    [Fact]
    public async Task Pages_past_the_end_are_empty_and_negative_pages_or_sizes_are_refused()
    {
        var (_, scientist) = await app.UserAsync(ControlPlaneRoles.DataScientist);
        await scientist.CreateModelAsync("pg");
        var first = (await scientist.GetFromJsonAsync<Page<ModelSummary>>("/api/v1/models?page=0&pageSize=5", RegistryClient.Json))!;
        Assert.NotEmpty(first.Items);
        foreach (var page in new[] { 1_000_000_000, int.MaxValue, 100_000 })
        {
            var far = (await scientist.GetFromJsonAsync<Page<ModelSummary>>($"/api/v1/models?page={page}&pageSize=25", RegistryClient.Json))!;
            Assert.Empty(far.Items);
            Assert.Equal(first.TotalCount, far.TotalCount);
        }
        foreach (var query in new[] { "page=-1", "pageSize=-1", "page=-2147483648" })
        {
            var response = await scientist.GetAsync($"/api/v1/models?{query}");
            Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
            Assert.Contains(query.Split('=')[0], await response.Content.ReadAsStringAsync());
        }
    }

    [Theory]
    [InlineData(".")]
    [InlineData("..")]
    [InlineData("...")]
    public async Task Names_made_of_dots_alone_are_refused(string name)
    {
        var (_, scientist) = await app.UserAsync(ControlPlaneRoles.DataScientist);
        Assert.Equal(HttpStatusCode.BadRequest, (await scientist.PostAsJsonAsync("/api/v1/models", new CreateModelRequest(name, null, null))).StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, (await scientist.PostAsJsonAsync("/api/v1/datasets", new CreateDatasetRequest(name, null, null))).StatusCode);
        Assert.Equal(HttpStatusCode.Created, (await scientist.PostAsJsonAsync("/api/v1/models", new CreateModelRequest($"v1.{Guid.NewGuid():N}", null, null))).StatusCode);
    }

    [Fact]
    public async Task A_ten_thousand_character_user_name_is_refused_and_nobody_is_created()
    {
        using var admin = app.ClientWithToken(ControlPlaneWebFactory.AdminToken);
        var name = new string('u', 10_000);
        var response = await admin.PostAsJsonAsync("/api/v1/admin/users", new CreateUserRequest(name, "long@example.test", ControlPlaneWebFactory.Password, []));
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains("userName", await response.Content.ReadAsStringAsync());
        var exact = new string('v', IdentityRules.MaxUserNameLength + 1);
        Assert.Equal(HttpStatusCode.BadRequest, (await admin.PostAsJsonAsync("/api/v1/admin/users", new CreateUserRequest(exact, "exact@example.test", ControlPlaneWebFactory.Password, []))).StatusCode);
        Assert.DoesNotContain("long@example.test", await admin.GetStringAsync("/api/v1/admin/users?search=long%40example&pageSize=200"));
    }

    [Theory]
    [InlineData("filename*=UTF-8''evil%E2%80%AEfig.onnx", "evilfig.onnx")]
    [InlineData("filename=\"a\tb.onnx\"", "ab.onnx")]
    [InlineData("filename*=UTF-8''line%0D%0Abreak%00.onnx", "linebreak.onnx")]
    [InlineData("filename*=UTF-8''..%5C..%5Cwin.onnx", "win.onnx")]
    public async Task Upload_file_names_lose_control_and_direction_characters(string disposition, string stored)
    {
        var (_, scientist) = await app.UserAsync(ControlPlaneRoles.DataScientist);
        var model = await scientist.CreateModelAsync("fn");
        var content = new MultipartFormDataContent();
        var file = new ByteArrayContent(HandBuiltOnnx.Identity());
        file.Headers.TryAddWithoutValidation("Content-Disposition", $"form-data; name=\"file\"; {disposition}");
        content.Add(file);
        var response = await scientist.PostAsync($"/api/v1/models/{model}/versions", content);
        Assert.True(response.IsSuccessStatusCode, await response.Content.ReadAsStringAsync());
        Assert.Equal(stored, (await response.Content.ReadFromJsonAsync<ModelVersionView>(RegistryClient.Json))!.FileName);
    }

    [Fact]
    public async Task A_very_long_upload_file_name_is_cut_to_the_limit()
    {
        var (_, scientist) = await app.UserAsync(ControlPlaneRoles.DataScientist);
        var dataset = await scientist.CreateDatasetAsync("fn");
        var response = await scientist.UploadDatasetAsync(dataset, "x\n1\n2\n"u8.ToArray(), new string('n', 5000) + ".csv");
        Assert.True(response.IsSuccessStatusCode, await response.Content.ReadAsStringAsync());
        Assert.Equal(255, (await scientist.GetVersionAsync(dataset, 1)).FileName.Length);
    }

    [Theory]
    [InlineData("* * * * * *", "1 s apart")]
    [InlineData("*/30 * * * * *", "30 s apart")]
    [InlineData("0,1 0 3 * * *", "1 s apart")]
    [InlineData("0 0 30 2 *", "never fires")]
    public async Task Schedules_that_fire_too_often_or_never_are_refused_on_every_path(string cron, string because)
    {
        using var admin = app.ClientWithToken(ControlPlaneWebFactory.AdminToken);
        var monitor = await admin.MonitorAsync(admin, schedule: null);
        var dataset = monitor.Reference.Name;
        var request = new DriftMonitorRequest(monitor.Name, new DatasetRef(dataset, 1), CurrentDataset: dataset, Schedule: cron);
        var id = Uri.EscapeDataString($"drift-monitor:{monitor.Id}");
        var edit = await admin.PutAsJsonAsync($"/api/v1/drift/monitors/{monitor.Id}", request, RegistryClient.Json);
        Assert.Equal(HttpStatusCode.BadRequest, edit.StatusCode);
        Assert.Contains(because, await edit.Content.ReadAsStringAsync());
        var fine = await admin.PutAsJsonAsync($"/api/v1/drift/monitors/{monitor.Id}", request with { Schedule = "*/1 * * * *" }, RegistryClient.Json);
        Assert.True(fine.IsSuccessStatusCode, await fine.Content.ReadAsStringAsync());
        var schedule = await admin.PutAsJsonAsync($"/api/v1/schedules/{id}", new { cron, timeZone = "UTC", reason = "too often" }, RegistryClient.Json);
        Assert.Equal(HttpStatusCode.BadRequest, schedule.StatusCode);
        Assert.Contains(because, await schedule.Content.ReadAsStringAsync());
    }
}
