using System.Globalization;
using System.Net.Http.Json;
using System.Text;
using ControlPlane.Domain.Persistence;
using ControlPlane.Domain.Production;
using ControlPlane.TestModels;
using ControlPlane.TestSupport;
using ControlPlane.Web.Apis;
using ControlPlane.Web.Tests.Datasets;
using ControlPlane.Web.Tests.Registry;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace ControlPlane.Web.Tests.Production;

/// <summary>
/// A model to send telemetry for: version 1 trained on a dataset whose features are age, income (numerical) and channel
/// (categorical); version 2 without lineage, whose signature input X is [N,2] (features X_0, X_1); the alias
/// serving on version 1.
/// </summary>
internal static class IngestFixture
{
    public static async Task<string> ModelAsync(HttpClient scientist)
    {
        var dataset = await scientist.CreateDatasetAsync("ingest");
        await scientist.AddVersionAsync(dataset, "age,income,channel,label\n41,52000.5,online,true\n30,41000,branch,false\n55,61000,online,true\n",
            """[{"name":"label","role":"Label"}]""");
        var model = await scientist.CreateModelAsync("ingest");
        await scientist.RegisterAsync(model, HandBuiltOnnx.LogisticRegressionWithZipMap([0.5f, -1f, 2f], 0.25f),
            $$$"""{"trainingDataset":{"name":"{{{dataset}}}","version":1}}""");
        await scientist.RegisterAsync(model, HandBuiltOnnx.Identity(2));
        (await scientist.PutAsJsonAsync($"/api/v1/models/{model}/aliases/serving", new SetAliasRequest(1, "first to serve"))).EnsureSuccessStatusCode();
        return model;
    }

    /// <summary>An hour ago, on a whole second, so every record of a test lands in one hour-file.</summary>
    public static DateTime RecentHour()
    {
        var now = DateTime.UtcNow.AddHours(-1);
        return new DateTime(now.Year, now.Month, now.Day, now.Hour, 0, 0, DateTimeKind.Utc);
    }

    public static string Iso(DateTime time) => time.ToString("yyyy-MM-ddTHH:mm:ss.fffZ", CultureInfo.InvariantCulture);

    /// <summary>A token of <paramref name="user"/> (fixture password) with the given scopes, optionally limited to some models.</summary>
    public static async Task<string> IssueTokenAsync(ControlPlaneWebFactory app, string user, IReadOnlyList<string> scopes, IReadOnlyList<string>? models = null)
    {
        var response = await app.ClientWithToken(null).PostAsJsonAsync("/api/v1/auth/tokens",
            new IssueTokenRequest(user, ControlPlaneWebFactory.Password, "ingest", 1, scopes, models));
        response.EnsureSuccessStatusCode();
        return (await response.Content.ReadFromJsonAsync<IssuedTokenResponse>())!.Token;
    }

    /// <summary>A 403 whose detail says <paramref name="because"/>.</summary>
    public static async Task RefusedAsync(HttpResponseMessage response, string because)
    {
        Assert.Equal(System.Net.HttpStatusCode.Forbidden, response.StatusCode);
        Assert.Contains(because, (await response.Content.ReadFromJsonAsync<Microsoft.AspNetCore.Mvc.ProblemDetails>())!.Detail);
    }

    public static StringContent Json(string body, string mediaType = "application/json") => new(body, Encoding.UTF8, mediaType);

    public static async Task<List<TelemetrySegment>> SegmentsAsync(ControlPlaneWebFactory app, string model)
    {
        await using var db = await app.Services.GetRequiredService<IDbContextFactory<ControlPlaneDbContext>>().CreateDbContextAsync();
        var id = await db.Models.Where(m => m.Name == model).Select(m => m.Id).SingleAsync();
        return await db.TelemetrySegments.AsNoTracking().Where(s => s.ModelId == id).OrderBy(s => s.HourUtc).ToListAsync();
    }

    public static async Task<Dictionary<string, object?[]>> ReadAsync(ControlPlaneWebFactory app, TelemetrySegment segment) =>
        await TelemetryFiles.ReadAsync(await app.Services.GetRequiredService<ITelemetryStore>().GetLocalPathAsync(segment.Path, CancellationToken.None));

    public static async Task<List<string>> FilesAsync(ControlPlaneWebFactory app, string model)
    {
        var files = new List<string>();
        await foreach (var path in app.Services.GetRequiredService<ITelemetryStore>().ListAsync(TelemetryPaths.Model(model), CancellationToken.None))
            files.Add(path);
        return files;
    }
}
