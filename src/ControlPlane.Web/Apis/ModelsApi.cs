using MaxLengthAttribute = System.ComponentModel.DataAnnotations.MaxLengthAttribute;
using System.Text.Json;
using ControlPlane.Domain.Artifacts;
using ControlPlane.Domain.Common;
using ControlPlane.Domain.Registry;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.WebUtilities;
using Microsoft.Extensions.Options;
using Microsoft.Net.Http.Headers;

namespace ControlPlane.Web.Apis;

public sealed record CreateModelRequest([property: MaxLength(128)] string Name, string? Description, Dictionary<string, string>? Tags);

public sealed record UpdateModelRequest(string? Description, Dictionary<string, string>? Tags);

public sealed record SetStageRequest(LifecycleStage Stage, string? Reason);

public sealed record SetAliasRequest(int Version, string? Reason);

public sealed record AliasTargetView(string Alias, int Version, string Sha256, ModelFlavor Flavor, DateTime UpdatedAtUtc);

public static class ModelsApi
{
    public static IEndpointRouteBuilder MapModelsApi(this IEndpointRouteBuilder routes)
    {
        var api = routes.MapGroup("/api/v1/models").WithTags("Models").RequireAuthorization();
        api.MapPost("/", CreateAsync).WithName("CreateModel").WithSummary("Register a model name (DataScientist, Admin).");
        api.MapGet("/", ListAsync).WithName("ListModels").WithSummary("Models, searched, filtered by tag (key or key=value) and stage, paged and sorted on the server.");
        api.MapGet("/{name}", GetAsync).WithName("GetModel").WithSummary("One model with its tags and aliases.");
        api.MapPatch("/{name}", UpdateAsync).WithName("UpdateModel").WithSummary("Replace the description and/or the tags.");
        api.MapPost("/{name}/versions", RegisterVersionAsync).WithName("RegisterModelVersion").DisableAntiforgery()
            .WithSummary("multipart/form-data: 'file' (ONNX or ML.NET zip) and optional 'metadata' (JSON). Streams to disk, inspects, stores by SHA-256.");
        api.MapGet("/{name}/versions", ListVersionsAsync).WithName("ListModelVersions").WithSummary("Versions, newest first, paged.");
        api.MapGet("/{name}/versions/{version:int}", GetVersionAsync).WithName("GetModelVersion").WithSummary("One version: signature, lineage, metrics, model card, stage, aliases.");
        api.MapGet("/{name}/versions/{version:int}/artifact", DownloadAsync).WithName("DownloadModelArtifact").WithSummary("The artifact bytes; ETag is the SHA-256, checked while streaming.");
        api.MapGet("/{name}/versions/{version:int}/stages", StageHistoryAsync).WithName("GetStageHistory").WithSummary("Every stage change of a version.");
        api.MapPost("/{name}/versions/{version:int}/stage", SetStageAsync).WithName("SetModelVersionStage").WithSummary("Move a version to None, Staging or Archived with a reason (required; Production only through promotion).");
        api.MapGet("/{name}/aliases", ListAliasesAsync).WithName("ListModelAliases").WithSummary("The model's aliases.");
        api.MapGet("/{name}/aliases/{alias}", ResolveAliasAsync).WithName("GetModelAlias")
            .WithSummary("Where an alias points (version, SHA-256, flavor); ETag names the version. With If-None-Match and ?wait=1..60 it answers when the alias moves, or 304 after the wait.");
        api.MapPut("/{name}/aliases/{alias}", SetAliasAsync).WithName("SetModelAlias").WithSummary("Point an alias at a version with a reason (required; creates or moves it).");
        api.MapDelete("/{name}/aliases/{alias}", DeleteAliasAsync).WithName("DeleteModelAlias").WithSummary("Remove an alias; the reason is required as ?reason=.");
        return routes;
    }

    public static async Task<Created<ModelDetail>> CreateAsync(CreateModelRequest request, ModelRegistry registry, CancellationToken ct)
    {
        var model = await registry.CreateModelAsync(request.Name, request.Description, request.Tags, ct);
        return TypedResults.Created($"/api/v1/models/{Uri.EscapeDataString(model.Name)}", model);
    }

    public static async Task<Ok<Page<ModelSummary>>> ListAsync(ModelRegistry registry, CancellationToken ct,
        string? search = null, string? tag = null, LifecycleStage? stage = null, int page = 0, int pageSize = 25, string? sortBy = null, bool descending = false) =>
        TypedResults.Ok(await registry.ListModelsAsync(new PageRequest(page, pageSize, search, sortBy, descending), tag, stage, ct));

    public static async Task<Ok<ModelDetail>> GetAsync(string name, ModelRegistry registry, CancellationToken ct) =>
        TypedResults.Ok(await registry.GetModelAsync(name, ct));

    public static async Task<Ok<ModelDetail>> UpdateAsync(string name, UpdateModelRequest request, ModelRegistry registry, CancellationToken ct) =>
        TypedResults.Ok(await registry.UpdateModelAsync(name, request.Description, request.Tags, ct));

    /// <summary>The file goes straight to the artifact store, never whole into memory; 'metadata' is optional JSON.</summary>
    public static async Task<Created<ModelVersionView>> RegisterVersionAsync(string name, HttpContext http, ModelRegistry registry,
        IOptions<ArtifactOptions> limits, IOptions<Microsoft.AspNetCore.Http.Json.JsonOptions> json, CancellationToken ct)
    {
        registry.EnsureCanWrite();
        await using var upload = await MultipartUpload.ReadAsync(http, limits.Value.MaxUploadBytes, registry.StageUploadAsync,
            "a 'file' part and an optional 'metadata' JSON part", ct);
        var metadata = upload.Fields.TryGetValue("metadata", out var text) ? ReadMetadata(text, json.Value.SerializerOptions) : null;
        var version = await registry.RegisterVersionAsync(name, upload.File!, upload.FileName, metadata, ct);
        return TypedResults.Created($"/api/v1/models/{Uri.EscapeDataString(version.Model)}/versions/{version.Version}", version);
    }

    public static async Task<Ok<Page<ModelVersionView>>> ListVersionsAsync(string name, ModelRegistry registry, CancellationToken ct, int page = 0, int pageSize = 25) =>
        TypedResults.Ok(await registry.ListVersionsAsync(name, new PageRequest(page, pageSize), ct));

    public static async Task<Ok<ModelVersionView>> GetVersionAsync(string name, int version, ModelRegistry registry, CancellationToken ct) =>
        TypedResults.Ok(await registry.GetVersionAsync(name, version, ct));

    public static async Task<IResult> DownloadAsync(string name, int version, ModelRegistry registry, CancellationToken ct)
    {
        var artifact = await registry.OpenArtifactAsync(name, version, ct);
        return TypedResults.Stream(artifact.Content, "application/octet-stream", artifact.FileName,
            entityTag: new EntityTagHeaderValue($"\"{artifact.Sha256}\""));
    }

    public static async Task<Ok<IReadOnlyList<StageChangeView>>> StageHistoryAsync(string name, int version, ModelRegistry registry, CancellationToken ct) =>
        TypedResults.Ok(await registry.StageHistoryAsync(name, version, ct));

    public static async Task<Ok<ModelVersionView>> SetStageAsync(string name, int version, SetStageRequest request, ModelRegistry registry, CancellationToken ct) =>
        TypedResults.Ok(await registry.SetStageAsync(name, version, request.Stage, request.Reason, ct));

    public static async Task<Ok<IReadOnlyList<AliasView>>> ListAliasesAsync(string name, ModelAliases aliases, CancellationToken ct) =>
        TypedResults.Ok(await aliases.ListAsync(name, ct));

    /// <summary>A long poll: a client that names the version it has waits here until the alias moves or the wait ends.</summary>
    public static async Task<Results<Ok<AliasTargetView>, StatusCodeHttpResult>> ResolveAliasAsync(string name, string alias, int? wait, HttpContext http,
        ModelAliases aliases, AliasWatch watch, CancellationToken ct)
    {
        if (wait is < 1 or > 60)
            throw new ValidationException("'wait' is a number of seconds from 1 to 60.", new Dictionary<string, string[]> { ["wait"] = ["Between 1 and 60."] });
        var target = await aliases.ResolveAsync(name, alias, ct);
        if (wait is { } seconds && IsCurrent(http.Request, target))
        {
            await watch.WaitForMoveAsync(name, alias, target.VersionId, TimeSpan.FromSeconds(seconds), ct);
            target = await aliases.ResolveAsync(name, alias, ct);
        }
        http.Response.Headers.ETag = target.ETag;
        return IsCurrent(http.Request, target)
            ? TypedResults.StatusCode(StatusCodes.Status304NotModified)
            : TypedResults.Ok(new AliasTargetView(target.Alias, target.Version, target.Sha256, target.Flavor, target.UpdatedAtUtc));
    }

    private static bool IsCurrent(HttpRequest request, AliasTarget target) =>
        EntityTagHeaderValue.TryParseList(request.Headers.IfNoneMatch, out var tags)
        && tags.Any(t => t.Tag == "*" || t.Tag == target.ETag);

    public static async Task<Ok<AliasView>> SetAliasAsync(string name, string alias, SetAliasRequest request, ModelAliases aliases, CancellationToken ct) =>
        TypedResults.Ok(await aliases.SetAsync(name, alias, request.Version, request.Reason, ct));

    public static async Task<NoContent> DeleteAliasAsync(string name, string alias, string? reason, ModelAliases aliases, CancellationToken ct)
    {
        await aliases.DeleteAsync(name, alias, reason, ct);
        return TypedResults.NoContent();
    }

    private static VersionMetadata ReadMetadata(string text, JsonSerializerOptions options)
    {
        try
        {
            return JsonSerializer.Deserialize<VersionMetadata>(text, options) ?? new VersionMetadata();
        }
        catch (JsonException e)
        {
            throw new ValidationException($"The 'metadata' part is not valid JSON: {e.Message}",
                new Dictionary<string, string[]> { ["metadata"] = [e.Message] });
        }
    }
}
