using System.Net;
using System.Net.Http.Json;
using System.Security.Cryptography;
using System.Text;
using ControlPlane.Domain.Audit;
using ControlPlane.Domain.Datasets;
using ControlPlane.Domain.Datasets.Profiling;
using ControlPlane.Domain.Identity;
using ControlPlane.TestModels;
using ControlPlane.TestSupport;
using ControlPlane.Web.Apis;
using ControlPlane.Web.Tests.Registry;
using ControlPlane.Domain.Persistence;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace ControlPlane.Web.Tests.Datasets;

[Collection(WebCollection.Name)]
public sealed class DatasetsApiTests(ControlPlaneWebFactory app)
{
    private HttpClient Scientist => app.ClientWithToken(app.RoleTokens[ControlPlaneRoles.DataScientist]);
    private HttpClient Reviewer => app.ClientWithToken(app.RoleTokens[ControlPlaneRoles.ComplianceReviewer]);

    private const string Applicants = """
        id,age,income,city,approved,signup
        1,25,50000,Paris,true,2024-01-05
        2,35,60000,Lyon,false,2024-02-10
        3,45,,Paris,true,2024-03-15
        4,55,80000,Nice,false,2024-04-20
        5,65,NaN,Paris,true,2024-05-25

        """;

    [Fact]
    public async Task An_uploaded_csv_gets_an_inferred_schema_and_an_exact_profile_and_downloads_intact()
    {
        var dataset = await Scientist.CreateDatasetAsync("applicants");
        var bytes = Encoding.UTF8.GetBytes(Applicants);

        var version = await Scientist.AddVersionAsync(dataset, bytes, "applicants.csv");

        Assert.Equal(1, version.Version);
        Assert.Equal(DatasetFormat.Csv, version.Format);
        Assert.Equal(5, version.RowCount);
        Assert.Equal(Convert.ToHexStringLower(SHA256.HashData(bytes)), version.Sha256);
        Assert.Equal(
            [("id", ColumnType.Numerical, ColumnRole.Id), ("age", ColumnType.Numerical, ColumnRole.Feature), ("income", ColumnType.Numerical, ColumnRole.Feature),
             ("city", ColumnType.Categorical, ColumnRole.Feature), ("approved", ColumnType.Boolean, ColumnRole.Feature), ("signup", ColumnType.DateTime, ColumnRole.Timestamp)],
            version.Schema.Select(c => (c.Name, c.Type, c.Role)).ToArray());
        Assert.Equal(ProfileStatus.Ready, version.ProfileStatus);

        var profile = version.Profile!;
        var age = Column(profile, "age").Numeric!;
        // Hand-computed: mean 45, sample std √250, numpy linear quantiles of [25, 35, 45, 55, 65].
        Assert.Equal((25, 65, 45), (age.Min, age.Max, age.Mean));
        Assert.Equal(Math.Sqrt(250), age.Std!.Value, 12);
        Assert.Equal([25.4, 27, 35, 45, 55, 63, 64.6], age.Quantiles.Select(q => Math.Round(q.Value, 9)).ToArray());
        Assert.Equal([1L, 0, 0, 0, 0, 1, 0, 0, 0, 0, 1, 0, 0, 0, 0, 1, 0, 0, 0, 1], age.Histogram.Counts.ToArray());
        var income = Column(profile, "income");
        Assert.Equal((3L, 2L), (income.Count, income.MissingCount)); // the empty cell and NaN are missing, never used
        Assert.Equal(63333.333333333336, income.Numeric!.Mean, 9);
        Assert.Equal(15275.252316519465, income.Numeric.Std!.Value, 6);
        var city = Column(profile, "city").Categories!;
        Assert.Equal(3, city.DistinctCount);
        Assert.Equal([("Paris", 3L), ("Lyon", 1L), ("Nice", 1L)], city.Top.Select(t => (t.Value, t.Count)).ToArray());
        Assert.Equal([("true", 3L), ("false", 2L)], Column(profile, "approved").Categories!.Top.Select(t => (t.Value, t.Count)).ToArray());
        var signup = Column(profile, "signup").Dates!;
        Assert.Equal((new DateTime(2024, 1, 5), new DateTime(2024, 5, 25)), (signup.Min!.Value.Date, signup.Max!.Value.Date));

        var download = await Reviewer.GetAsync($"/api/v1/datasets/{dataset}/versions/1/file");
        Assert.Equal(HttpStatusCode.OK, download.StatusCode);
        Assert.Equal($"\"{version.Sha256}\"", download.Headers.ETag?.Tag);
        Assert.Equal(bytes, await download.Content.ReadAsByteArrayAsync());

        var preview = await Reviewer.GetFromJsonAsync<DatasetPreview>($"/api/v1/datasets/{dataset}/versions/1/preview?rows=3", RegistryClient.Json);
        Assert.Equal(["id", "age", "income", "city", "approved", "signup"], preview!.Columns);
        Assert.Equal(3, preview.Rows.Count);
        Assert.Equal(["3", "45", null, "Paris", "true", "2024-03-15"], preview.Rows[2]);
        await using var db = await app.Services.GetRequiredService<IDbContextFactory<ControlPlaneDbContext>>().CreateDbContextAsync();
        var viewed = await db.AuditEvents.Where(e => e.EntityId == version.Id.ToString()).Select(e => new { e.Action, e.Reason }).ToListAsync();
        Assert.Contains(viewed, e => e.Action == AuditActions.DatasetDownloaded);
        Assert.Contains(viewed, e => e.Action == AuditActions.DatasetPreviewed && e.Reason == $"{dataset} v1: first 3 rows");
    }

    [Fact]
    public async Task A_small_Parquet_file_of_many_rows_is_profiled_by_a_job_as_its_rows_not_its_bytes_say()
    {
        var dataset = await Scientist.CreateDatasetAsync("compressed");
        var color = new Parquet.Schema.DataField<string>("color");
        using var buffer = new MemoryStream();
        await using (var writer = await Parquet.ParquetWriter.CreateAsync(new Parquet.Schema.ParquetSchema(color), buffer))
        using (var group = writer.CreateRowGroup())
            await group.WriteAsync(color, Enumerable.Repeat("red", 100_000).ToArray()!);
        var file = buffer.ToArray();
        Assert.True(file.Length < ControlPlaneWebFactory.InlineProfileMaxBytes, $"{file.Length} bytes"); // small on disk, 800 KB decoded

        var added = await Scientist.AddVersionAsync(dataset, file, "red.parquet");

        Assert.Equal(100_000, added.RowCount);
        Assert.NotEqual(ProfileStatus.Ready, added.ProfileStatus);
    }

    [Fact]
    public async Task A_huge_cell_is_stored_and_shown_cut_to_256_characters_with_its_full_length()
    {
        var dataset = await Scientist.CreateDatasetAsync("huge-cell");
        var huge = "é" + new string('w', 99_999);
        await Scientist.AddVersionAsync(dataset, $"note,x\n{huge},1\nshort,2\nshort,3\n", """[{"name":"note","type":"Categorical"}]""");

        await Eventually.GetAsync(async () => (await Scientist.GetVersionAsync(dataset, 1)).ProfileStatus is ProfileStatus.Ready ? "" : null,
            TimeSpan.FromSeconds(60), "the profile job"); // over the test host's inline limit

        var body = await Scientist.GetStringAsync($"/api/v1/datasets/{dataset}/versions/1");
        Assert.True(body.Length < 10_000, $"the version is {body.Length} characters of JSON");
        var version = System.Text.Json.JsonSerializer.Deserialize<DatasetVersionView>(body, RegistryClient.Json)!;
        var top = Column(version.Profile!, "note").Categories!.Top;
        Assert.Equal(new CategoryCount("short", 2), top[0]);
        Assert.Equal(new CategoryCount(huge[..256] + "…", 1, 100_000), top[1]);

        var preview = await Reviewer.GetFromJsonAsync<DatasetPreview>($"/api/v1/datasets/{dataset}/versions/1/preview?rows=1", RegistryClient.Json);
        Assert.Equal(huge[..256] + "… (100,000 characters)", preview!.Rows[0][0]);
    }

    [Fact]
    public async Task A_file_with_y_and_target_gets_one_label_guessed_and_a_label_named_at_upload_replaces_the_guess()
    {
        var dataset = await Scientist.CreateDatasetAsync("two-label-names");
        const string csv = "x,y,target\n1,0.5,1\n2,0.7,0\n3,0.1,1\n";

        var guessed = await Scientist.AddVersionAsync(dataset, csv);
        Assert.Equal(ColumnRole.Label, guessed.Schema.Single(c => c.Name == "target").Role);
        Assert.Equal(ColumnRole.Feature, guessed.Schema.Single(c => c.Name == "y").Role);

        var chosen = await Scientist.AddVersionAsync(dataset, csv, """[{"name":"y","role":"Label"}]""");
        Assert.Equal(ColumnRole.Label, chosen.Schema.Single(c => c.Name == "y").Role);
        Assert.Equal(ColumnRole.Feature, chosen.Schema.Single(c => c.Name == "target").Role);
    }

    [Fact]
    public async Task Types_and_roles_can_be_set_at_upload_and_changed_later_and_a_type_change_reprofiles()
    {
        var dataset = await Scientist.CreateDatasetAsync("schema");
        var version = await Scientist.AddVersionAsync(dataset, Applicants, """[{"name":"id","type":"Categorical","role":"Id"},{"name":"approved","role":"Label"}]""");
        Assert.Equal(ColumnType.Categorical, version.Schema.Single(c => c.Name == "id").Type);
        Assert.Equal(ColumnType.Numerical, version.Schema.Single(c => c.Name == "id").InferredType);
        Assert.Equal(5, Column(version.Profile!, "id").Categories!.DistinctCount);
        Assert.Equal(ColumnRole.Label, version.Schema.Single(c => c.Name == "approved").Role);

        var response = await Scientist.PatchAsJsonAsync($"/api/v1/datasets/{dataset}/versions/1/schema",
            new UpdateSchemaRequest([new ColumnSchemaChange("AGE", ColumnType.Categorical, ColumnRole.Ignored)]));
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var updated = (await response.Content.ReadFromJsonAsync<DatasetVersionView>(RegistryClient.Json))!;
        var age = Column(updated.Profile!, "age");
        Assert.Null(age.Numeric);
        Assert.Equal(5, age.Categories!.DistinctCount);
        Assert.Equal(ColumnRole.Ignored, updated.Schema.Single(c => c.Name == "age").Role);

        var twoLabels = await Scientist.PatchAsJsonAsync($"/api/v1/datasets/{dataset}/versions/1/schema",
            new UpdateSchemaRequest([new ColumnSchemaChange("city", null, ColumnRole.Label)]));
        Assert.Equal(HttpStatusCode.BadRequest, twoLabels.StatusCode);
        Assert.Contains("Only one column can be the label", await twoLabels.Content.ReadAsStringAsync());
        var unknown = await Scientist.PatchAsJsonAsync($"/api/v1/datasets/{dataset}/versions/1/schema",
            new UpdateSchemaRequest([new ColumnSchemaChange("salary", ColumnType.Numerical, null)]));
        Assert.Contains("no column named 'salary'", await unknown.Content.ReadAsStringAsync());
    }

    [Theory]
    [InlineData("ragged", "a,b,c\n1,2,3\n4,5\n", "line 3")]
    [InlineData("duplicate-header", "a,b,A\n1,2,3\n", "columns 1 and 3 are both named")]
    [InlineData("empty-header", "a,,c\n1,2,3\n", "column 2")]
    [InlineData("no-rows", "a,b,c\n", "no data rows")]
    [InlineData("empty", "", "empty")]
    [InlineData("not-utf8", "a,b\n1,caf\xE9\n", "line 2")]
    public async Task Malformed_files_are_400_problems_naming_where_and_store_nothing(string kind, string content, string expected)
    {
        var dataset = await Scientist.CreateDatasetAsync("bad");
        var bytes = kind == "not-utf8" ? Encoding.Latin1.GetBytes(content) : Encoding.UTF8.GetBytes(content);
        var stored = StoredFiles();

        var response = await Scientist.UploadDatasetAsync(dataset, bytes);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        Assert.Contains(expected, await response.Content.ReadAsStringAsync(), StringComparison.OrdinalIgnoreCase);
        var detail = await Scientist.GetFromJsonAsync<DatasetDetail>($"/api/v1/datasets/{dataset}", RegistryClient.Json);
        Assert.Equal(0, detail!.LatestVersion);
        Assert.Equal(stored, StoredFiles());
    }

    [Fact]
    public async Task An_upload_over_the_limit_is_413_and_a_reviewer_may_read_but_not_upload()
    {
        var dataset = await Scientist.CreateDatasetAsync("big");
        var tooBig = await Scientist.UploadDatasetAsync(dataset, new byte[ControlPlaneWebFactory.MaxUploadBytes + 1]);
        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, tooBig.StatusCode);

        var forbidden = await Reviewer.UploadDatasetAsync(dataset, Encoding.UTF8.GetBytes(Applicants));
        Assert.Equal(HttpStatusCode.Forbidden, forbidden.StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await Reviewer.GetAsync($"/api/v1/datasets/{dataset}")).StatusCode);
    }

    [Fact]
    public async Task A_file_above_the_inline_limit_is_profiled_by_a_background_job()
    {
        var dataset = await Scientist.CreateDatasetAsync("job");
        var csv = new StringBuilder("x,parity\n");
        for (var i = 1; i <= 20_000; i++)
            csv.Append(i).Append(',').Append(i % 2 == 0 ? "even" : "odd").Append('\n');
        Assert.True(csv.Length > ControlPlaneWebFactory.InlineProfileMaxBytes);

        var added = await Scientist.AddVersionAsync(dataset, csv.ToString());
        Assert.NotEqual(ProfileStatus.Ready, added.ProfileStatus);

        var ready = await Eventually.GetAsync(async () =>
        {
            var v = await Scientist.GetVersionAsync(dataset, 1);
            return v.ProfileStatus is ProfileStatus.Ready or ProfileStatus.Failed ? v : null;
        }, TimeSpan.FromSeconds(60), "the profile job");
        Assert.Equal(ProfileStatus.Ready, ready.ProfileStatus);
        var x = Column(ready.Profile!, "x").Numeric!;
        // 1..20000: mean (n+1)/2, sample std √(n(n+1)/12), numpy linear quantiles, 20 equal bins of 1000.
        Assert.Equal(10000.5, x.Mean, 9);
        Assert.Equal(5773.647027659381, x.Std!.Value, 6);
        Assert.Equal([200.99, 1000.95, 5000.75, 10000.5, 15000.25, 19000.05, 19800.01], x.Quantiles.Select(q => Math.Round(q.Value, 6)).ToArray());
        Assert.All(x.Histogram.Counts, c => Assert.Equal(1000, c));
        Assert.Equal([("even", 10_000L), ("odd", 10_000L)], Column(ready.Profile!, "parity").Categories!.Top.Select(t => (t.Value, t.Count)).ToArray());

        // At-least-once delivery: running the same job again, or a stale one, changes nothing and records nothing.
        var contexts = app.Services.GetRequiredService<IDbContextFactory<ControlPlaneDbContext>>();
        await using var db = await contexts.CreateDbContextAsync();
        var row = await db.DatasetVersions.AsNoTracking().SingleAsync(v => v.Id == ready.Id);
        var events = await db.AuditEvents.CountAsync(e => e.EntityId == ready.Id.ToString());
        var profiling = app.Services.GetRequiredService<DatasetProfiling>();
        await profiling.RunAsync(ready.Id, row.ProfileRunId, CancellationToken.None);
        await profiling.RunAsync(ready.Id, Guid.NewGuid(), CancellationToken.None);
        var after = await db.DatasetVersions.AsNoTracking().SingleAsync(v => v.Id == ready.Id);
        Assert.Equal((row.Profile, row.ProfiledAtUtc), (after.Profile, after.ProfiledAtUtc));
        Assert.Equal(events, await db.AuditEvents.CountAsync(e => e.EntityId == ready.Id.ToString()));
    }

    [Fact]
    public async Task The_compatibility_check_maps_feature_columns_to_the_model_input_and_names_mismatches()
    {
        var model = await Scientist.CreateModelAsync("compat");
        await Scientist.RegisterAsync(model, HandBuiltOnnx.LogisticRegressionWithZipMap([0.5f, -1f, 2f], 0.25f));
        var dataset = await Scientist.CreateDatasetAsync("compat");
        await Scientist.AddVersionAsync(dataset, "f1,f2,f3,label\n0.1,0.2,0.3,1\n0.4,0.5,0.6,0\n");
        await Scientist.AddVersionAsync(dataset, "f1,f2,label\n0.1,0.2,1\n0.4,0.5,0\n");

        var fits = await Reviewer.GetFromJsonAsync<CompatibilityReport>($"/api/v1/datasets/{dataset}/versions/1/compatibility?model={model}&modelVersion=1", RegistryClient.Json);
        Assert.True(fits!.Compatible, string.Join("; ", fits.Issues.Select(i => i.Message)));
        Assert.True(fits.FeatureVector);
        Assert.Equal(["f1", "f2", "f3"], Assert.Single(fits.Mappings).Columns);

        var short_ = await Reviewer.GetFromJsonAsync<CompatibilityReport>($"/api/v1/datasets/{dataset}/versions/2/compatibility?model={model}&modelVersion=1", RegistryClient.Json);
        Assert.False(short_!.Compatible);
        Assert.Contains(short_.Issues, i => i.Message.Contains("takes 3 features per row; the dataset has 2 feature columns"));
    }

    [Fact]
    public async Task A_model_version_names_its_training_dataset_version_and_an_unknown_one_is_refused()
    {
        var dataset = await Scientist.CreateDatasetAsync("train");
        var data = await Scientist.AddVersionAsync(dataset, "f1,f2,f3,label\n0.1,0.2,0.3,1\n0.4,0.5,0.6,0\n");
        var model = await Scientist.CreateModelAsync("lineage");
        var classifier = HandBuiltOnnx.LogisticRegressionWithZipMap([0.5f, -1f, 2f], 0.25f);

        var version = await Scientist.RegisterAsync(model, classifier, $$$"""{"trainingDataset":{"name":"{{{dataset.ToUpperInvariant()}}}","version":1}}""");

        Assert.Equal(data.Id, version.TrainingDatasetVersionId);
        Assert.Equal(new Domain.Registry.DatasetRef(dataset, 1), version.TrainingDataset);
        var unknown = await Scientist.UploadAsync(model, classifier, metadataJson: $$$"""{"trainingDataset":{"name":"{{{dataset}}}","version":9}}""");
        Assert.Equal(HttpStatusCode.BadRequest, unknown.StatusCode);
        Assert.Contains("has no version 9", await unknown.Content.ReadAsStringAsync());
        var byId = await Scientist.UploadAsync(model, classifier, metadataJson: $$"""{"trainingDatasetVersionId":"{{Guid.NewGuid()}}"}""");
        Assert.Equal(HttpStatusCode.BadRequest, byId.StatusCode);
    }

    private static ColumnProfile Column(DatasetProfile profile, string name) => profile.Columns.Single(c => c.Name == name);

    private string[] StoredFiles()
    {
        var root = Path.Combine(app.DataDirectory, "artifacts");
        return Directory.Exists(root) ? Directory.GetFiles(root, "*", SearchOption.AllDirectories).Order().ToArray() : [];
    }
}
