using System.Text;
using ControlPlane.Domain.Audit;
using ControlPlane.Domain.Common;
using ControlPlane.Web.Auth;
using Microsoft.AspNetCore.Http.HttpResults;

namespace ControlPlane.Web.Apis;

public static class AuditApi
{
    public static IEndpointRouteBuilder MapAuditApi(this IEndpointRouteBuilder routes)
    {
        var api = routes.MapGroup("/api/v1/audit").WithTags("Audit").RequireAuthorization(Policies.Reviewer);
        api.MapGet("/", SearchAsync).WithName("SearchAudit")
            .WithSummary("Audit events, newest first (order=asc for oldest first), filtered and paged on the server. action accepts a trailing * as prefix match.");
        api.MapGet("/history/{entityType}/{entityId}", HistoryAsync).WithName("GetAuditHistory")
            .WithSummary("Every event about one entity, oldest first.");
        api.MapPost("/verify", VerifyAsync).RequiresScope(ControlPlane.Domain.Identity.TokenScopes.Read).WithName("VerifyAudit")
            .WithSummary("Recompute the hash chain and MACs and check them against the signed digests; state is intact, broken (with the first broken sequence) or unanchored.");
        api.MapPost("/digests", WriteDigestAsync).WithName("WriteAuditDigest").RequireAuthorization(Policies.Admin)
            .WithSummary("Append a signed digest of the chain head to the digest file outside the database.");
        api.MapGet("/digests", GetDigests).WithName("GetAuditDigests")
            .WithSummary("The signed digest file (JSON Lines), for verifying an export with scripts/verify-audit-export.py.");
        routes.MapGet("/api/v1/audit/public-key", GetPublicKey).WithName("GetAuditPublicKey").WithTags("Audit").AllowAnonymous()
            .WithSummary("The ECDSA P-256 public key (PEM) that verifies digest signatures.");
        api.MapGet("/export", Export).WithName("ExportAudit")
            .WithSummary("Stream the filtered events as CSV or JSON Lines (format=csv|jsonl), oldest first, with their chain hashes.");
        return routes;
    }

    public static async Task<Ok<Page<AuditEventView>>> SearchAsync(
        AuditTrail audit, CancellationToken ct,
        string? actor = null, string? action = null, string? entityType = null, string? entityId = null,
        DateTimeOffset? from = null, DateTimeOffset? to = null, int page = 0, int pageSize = 50, string? order = null) =>
        TypedResults.Ok(await audit.SearchAsync(Filter(actor, action, entityType, entityId, from, to),
            new PageRequest(page, pageSize, SortBy: order == "asc" ? "sequence" : null), ct));

    public static async Task<Ok<IReadOnlyList<AuditEventView>>> HistoryAsync(string entityType, string entityId, AuditTrail audit, CancellationToken ct) =>
        TypedResults.Ok(await audit.HistoryAsync(entityType, entityId, ct));

    public static async Task<Ok<AuditVerification>> VerifyAsync(AuditTrail audit, CancellationToken ct, bool useDigest = true) =>
        TypedResults.Ok(await audit.VerifyAsync(useDigest, ct));

    public static async Task<Ok<AuditDigestEntry>> WriteDigestAsync(AuditTrail audit, CancellationToken ct) =>
        TypedResults.Ok(await audit.WriteDigestAsync(ct));

    public static Results<FileStreamHttpResult, NotFound> GetDigests(AuditTrail audit) =>
        audit.OpenDigests() is { } stream ? TypedResults.File(stream, "application/x-ndjson", AuditDigests.FileName) : TypedResults.NotFound();

    public static ContentHttpResult GetPublicKey(AuditDigestSigner signer) =>
        TypedResults.Text(signer.PublicKeyPem, "application/x-pem-file");

    public static IResult Export(
        AuditTrail audit, CancellationToken ct, string format = "jsonl",
        string? actor = null, string? action = null, string? entityType = null, string? entityId = null,
        DateTimeOffset? from = null, DateTimeOffset? to = null)
    {
        var kind = format.ToLowerInvariant() switch
        {
            "csv" => AuditExportFormat.Csv,
            "jsonl" or "json" => AuditExportFormat.JsonLines,
            _ => throw new ValidationException($"Unknown export format '{format}'. Use csv or jsonl."),
        };
        audit.EnsureCanRead();
        var filter = Filter(actor, action, entityType, entityId, from, to);
        var (contentType, extension) = kind == AuditExportFormat.Csv ? ("text/csv", "csv") : ("application/x-ndjson", "jsonl");
        return TypedResults.Stream(async body =>
        {
            await using var writer = new StreamWriter(body, new UTF8Encoding(false), 64 * 1024);
            await audit.ExportAsync(filter, kind, writer, ct);
        }, $"{contentType}; charset=utf-8", $"audit-{DateTime.UtcNow:yyyyMMddTHHmmssZ}.{extension}");
    }

    private static AuditFilter Filter(string? actor, string? action, string? entityType, string? entityId, DateTimeOffset? from, DateTimeOffset? to) =>
        new(actor, action, entityType, entityId, from?.UtcDateTime, to?.UtcDateTime);
}
