using System.Net;

namespace ControlPlane.Client;

/// <summary>The server answered with an error (its ProblemDetails' detail in the message).</summary>
public sealed class ControlPlaneApiException(HttpStatusCode status, string message, TimeSpan? retryAfter = null)
    : Exception($"{(int)status} {status}: {message}")
{
    public HttpStatusCode Status { get; } = status;
    public string Detail { get; } = message;
    /// <summary>From the Retry-After header of a 429 or 503.</summary>
    public TimeSpan? RetryAfter { get; } = retryAfter;

    /// <summary>A server-side or throttling failure worth retrying; a 4xx otherwise means the request itself is wrong.</summary>
    public bool IsTransient => (int)Status >= 500 || Status is HttpStatusCode.TooManyRequests or HttpStatusCode.RequestTimeout;
}
