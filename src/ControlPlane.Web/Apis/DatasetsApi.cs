using MaxLengthAttribute = System.ComponentModel.DataAnnotations.MaxLengthAttribute;
using ControlPlane.Domain.Common;
using ControlPlane.Domain.Datasets;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Extensions.Options;
using Microsoft.Net.Http.Headers;

namespace ControlPlane.Web.Apis;

public sealed record CreateDatasetRequest([property: MaxLength(128)] string Name, string? Description, Dictionary<string, string>? Tags);

public sealed record UpdateDatasetRequest(string? Description, Dictionary<string, string>? Tags);

public sealed record UpdateSchemaRequest(List<ColumnSchemaChange> Columns);

public static class DatasetsApi
{
    public static IEndpointRouteBuilder MapDatasetsApi(this IEndpointRouteBuilder routes)
    {
        var api = routes.MapGroup("/api/v1/datasets").WithTags("Datasets").RequireAuthorization();
        api.MapPost("/", CreateAsync).WithName("CreateDataset").WithSummary("Create a dataset name (DataScientist, Admin).");
        api.MapGet("/", ListAsync).WithName("ListDatasets").WithSummary("Datasets, searched by name, paged and sorted on the server.");
        api.MapGet("/{name}", GetAsync).WithName("GetDataset").WithSummary("One dataset with its tags.");
        api.MapPatch("/{name}", UpdateAsync).WithName("UpdateDataset").WithSummary("Replace the description and/or the tags.");
        api.MapPost("/{name}/versions", AddVersionAsync).WithName("AddDatasetVersion").DisableAntiforgery()
            .WithSummary("multipart/form-data: 'file' (CSV or Parquet), optional 'schema' (JSON [{name,type,role}]) and 'sourceNote'. The whole file is validated; a bad row rejects it.");
        api.MapGet("/{name}/versions", ListVersionsAsync).WithName("ListDatasetVersions").WithSummary("Versions with their schemas, newest first, paged.");
        api.MapGet("/{name}/versions/{version:int}", GetVersionAsync).WithName("GetDatasetVersion").WithSummary("One version: schema and profile (profileStatus says whether it is ready).");
        api.MapPatch("/{name}/versions/{version:int}/schema", UpdateSchemaAsync).WithName("UpdateDatasetSchema").WithSummary("Override column types and/or roles; a type change recomputes the profile.");
        api.MapGet("/{name}/versions/{version:int}/preview", PreviewAsync).WithName("PreviewDatasetVersion").WithSummary("The first rows (default 100) as text.");
        api.MapGet("/{name}/versions/{version:int}/file", DownloadAsync).WithName("DownloadDatasetVersion").WithSummary("The file; ETag is the SHA-256, checked while streaming.");
        api.MapGet("/{name}/versions/{version:int}/compatibility", CompatibilityAsync).WithName("CheckDatasetCompatibility")
            .WithSummary("Can this version feed a model version (?model=&modelVersion=)? Missing columns and type mismatches.");
        return routes;
    }

    public static async Task<Created<DatasetDetail>> CreateAsync(CreateDatasetRequest request, DatasetCatalog catalog, CancellationToken ct)
    {
        var dataset = await catalog.CreateAsync(request.Name, request.Description, request.Tags, ct);
        return TypedResults.Created($"/api/v1/datasets/{Uri.EscapeDataString(dataset.Name)}", dataset);
    }

    public static async Task<Ok<Page<DatasetSummary>>> ListAsync(DatasetCatalog catalog, CancellationToken ct,
        string? search = null, int page = 0, int pageSize = 25, string? sortBy = null, bool descending = false) =>
        TypedResults.Ok(await catalog.ListAsync(new PageRequest(page, pageSize, search, sortBy, descending), ct));

    public static async Task<Ok<DatasetDetail>> GetAsync(string name, DatasetCatalog catalog, CancellationToken ct) =>
        TypedResults.Ok(await catalog.GetAsync(name, ct));

    public static async Task<Ok<DatasetDetail>> UpdateAsync(string name, UpdateDatasetRequest request, DatasetCatalog catalog, CancellationToken ct) =>
        TypedResults.Ok(await catalog.UpdateAsync(name, request.Description, request.Tags, ct));

    public static async Task<Created<DatasetVersionView>> AddVersionAsync(string name, HttpContext http, DatasetCatalog catalog,
        IOptions<DatasetOptions> limits, CancellationToken ct)
    {
        catalog.EnsureCanWrite();
        await using var upload = await MultipartUpload.ReadAsync(http, limits.Value.MaxUploadBytes, catalog.StageUploadAsync,
            "a 'file' part (CSV or Parquet) and optional 'schema' and 'sourceNote' parts", ct);
        var schema = DatasetSchemas.ParseChanges(upload.Fields.GetValueOrDefault("schema"));
        var version = await catalog.AddVersionAsync(name, upload.File!, upload.FileName, schema, upload.Fields.GetValueOrDefault("sourceNote"), ct);
        return TypedResults.Created($"/api/v1/datasets/{Uri.EscapeDataString(version.Dataset)}/versions/{version.Version}", version);
    }

    public static async Task<Ok<Page<DatasetVersionView>>> ListVersionsAsync(string name, DatasetCatalog catalog, CancellationToken ct, int page = 0, int pageSize = 25) =>
        TypedResults.Ok(await catalog.ListVersionsAsync(name, new PageRequest(page, pageSize), ct));

    public static async Task<Ok<DatasetVersionView>> GetVersionAsync(string name, int version, DatasetCatalog catalog, CancellationToken ct) =>
        TypedResults.Ok(await catalog.GetVersionAsync(name, version, ct));

    public static async Task<Ok<DatasetVersionView>> UpdateSchemaAsync(string name, int version, UpdateSchemaRequest request, DatasetCatalog catalog, CancellationToken ct) =>
        TypedResults.Ok(await catalog.UpdateSchemaAsync(name, version, request.Columns ?? [], ct));

    public static async Task<Ok<DatasetPreview>> PreviewAsync(string name, int version, DatasetCatalog catalog, CancellationToken ct, int rows = 100) =>
        TypedResults.Ok(await catalog.PreviewAsync(name, version, rows, ct));

    public static async Task<IResult> DownloadAsync(string name, int version, DatasetCatalog catalog, CancellationToken ct)
    {
        var file = await catalog.OpenFileAsync(name, version, ct);
        var contentType = file.Format == DatasetFormat.Parquet ? "application/vnd.apache.parquet" : "text/csv";
        return TypedResults.Stream(file.Content, contentType, file.FileName, entityTag: new EntityTagHeaderValue($"\"{file.Sha256}\""));
    }

    public static async Task<Ok<CompatibilityReport>> CompatibilityAsync(string name, int version, string model, int modelVersion, DatasetCatalog catalog, CancellationToken ct) =>
        TypedResults.Ok(await catalog.CheckCompatibilityAsync(name, version, model, modelVersion, ct));
}
