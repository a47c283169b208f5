namespace ControlPlane.Domain.Common;

/// <summary>A rule of the domain was broken; the web layer maps each kind to one HTTP status.</summary>
public abstract class DomainException(string title, string message, Exception? inner = null) : Exception(message, inner)
{
    public string Title { get; } = title;
}

/// <summary>Input that can never succeed as sent (400).</summary>
public sealed class ValidationException(string message, IReadOnlyDictionary<string, string[]>? errors = null)
    : DomainException("The request is not valid.", message)
{
    public IReadOnlyDictionary<string, string[]> Errors { get; } = errors ?? new Dictionary<string, string[]>();

    /// <summary>One field is wrong, and the message says why (as the detail and as the field's error).</summary>
    public static ValidationException For(string field, string message) => new(message, new Dictionary<string, string[]> { [field] = [message] });
}

/// <summary>Credentials were missing, wrong, expired or locked out (401).</summary>
public sealed class AuthenticationFailedException(string message)
    : DomainException("Authentication failed.", message);

/// <summary>The actor is known but may not do this (403).</summary>
public sealed class ForbiddenException(string message)
    : DomainException("Forbidden.", message);

/// <summary>The thing asked for does not exist (404).</summary>
public sealed class NotFoundException(string message)
    : DomainException("Not found.", message);

/// <summary>The request lost a race or clashes with the current state (409).</summary>
public sealed class ConflictException(string message)
    : DomainException("Conflict.", message);

/// <summary>An upload over the configured size limit (413).</summary>
public sealed class PayloadTooLargeException(string message)
    : DomainException("Payload too large.", message);

/// <summary>Too many attempts in a window (429); <see cref="RetryAfter"/> is how long to wait.</summary>
public sealed class TooManyRequestsException(string message, TimeSpan retryAfter)
    : DomainException("Too many requests.", message)
{
    public TimeSpan RetryAfter { get; } = retryAfter;
}
