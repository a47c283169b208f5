using ControlPlane.Domain.Common;
using Microsoft.AspNetCore.Diagnostics;
using Microsoft.AspNetCore.Mvc;

namespace ControlPlane.Web;

/// <summary>Maps domain exceptions to RFC 7807 responses; anything else stays a 500 without internals.</summary>
internal sealed class DomainExceptionHandler(IProblemDetailsService problems, ILogger<DomainExceptionHandler> logger) : IExceptionHandler
{
    public async ValueTask<bool> TryHandleAsync(HttpContext context, Exception exception, CancellationToken cancellationToken)
    {
        ProblemDetails? problem = exception switch
        {
            ValidationException v => new HttpValidationProblemDetails(v.Errors.ToDictionary(e => e.Key, e => e.Value))
            {
                Status = StatusCodes.Status400BadRequest, Title = v.Title, Detail = v.Message,
            },
            ControlPlane.Domain.Datasets.Reading.DataFormatException d => DataProblem(d),
            AuthenticationFailedException a => Problem(StatusCodes.Status401Unauthorized, a),
            ForbiddenException f => Problem(StatusCodes.Status403Forbidden, f),
            NotFoundException n => Problem(StatusCodes.Status404NotFound, n),
            ConflictException c => Problem(StatusCodes.Status409Conflict, c),
            PayloadTooLargeException p => Problem(StatusCodes.Status413PayloadTooLarge, p),
            TooManyRequestsException t => Problem(StatusCodes.Status429TooManyRequests, t),
            ControlPlane.Domain.Artifacts.ArtifactStoreUnavailableException u => Problem(StatusCodes.Status503ServiceUnavailable, u),
            BadHttpRequestException b => Apis.Input.UnreadableBody.Problem(b),
            Microsoft.EntityFrameworkCore.DbUpdateConcurrencyException => new ProblemDetails
            {
                Status = StatusCodes.Status409Conflict, Title = "Conflict.",
                Detail = "Someone else changed this record first. Reload and try again.",
            },
            _ when Unreachable(exception) => new ProblemDetails
            {
                Status = StatusCodes.Status503ServiceUnavailable, Title = "Database unavailable.",
                Detail = "The database cannot be reached right now. Nothing was changed; try again shortly.",
            },
            _ => null,
        };
        if (problem is null)
            return false;
        if (problem.Status >= 500)
            logger.LogError(exception, "Request failed");
        if (exception is ForbiddenException)
            await Auth.AccessDeniedAudit.RecordAsync(context, exception.Message);
        if (problem.Status == StatusCodes.Status503ServiceUnavailable)
            context.Response.Headers.RetryAfter = "5";
        if (exception is TooManyRequestsException { RetryAfter: var wait })
            context.Response.Headers.RetryAfter = Math.Max(1, Math.Ceiling(wait.TotalSeconds)).ToString(System.Globalization.CultureInfo.InvariantCulture);
        context.Response.StatusCode = problem.Status!.Value;
        return await problems.TryWriteAsync(new ProblemDetailsContext { HttpContext = context, ProblemDetails = problem, Exception = exception });
    }

    /// <summary>A connection the database refused or dropped (server down, restarting, failing over), in any wrapping.</summary>
    private static bool Unreachable(Exception exception)
    {
        for (Exception? e = exception; e is not null; e = e.InnerException)
            if (e is System.Data.Common.DbException { IsTransient: true })
                return true;
        return false;
    }

    private static ProblemDetails DataProblem(ControlPlane.Domain.Datasets.Reading.DataFormatException e)
    {
        var problem = Problem(StatusCodes.Status400BadRequest, e);
        if (e.Line is { } line)
            problem.Extensions["line"] = line;
        if (e.Column is { } column)
            problem.Extensions["column"] = column;
        return problem;
    }

    private static ProblemDetails Problem(int status, DomainException e) => new() { Status = status, Title = e.Title, Detail = e.Message };
}
