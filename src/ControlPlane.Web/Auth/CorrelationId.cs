using System.Text.RegularExpressions;

namespace ControlPlane.Web.Auth;

/// <summary>
/// The id that ties a request to its audit events: generated here, once per request, and echoed on every
/// response. A caller's own <c>X-Correlation-Id</c> (or <c>traceparent</c>) never becomes it, so nobody can make
/// their events share another request's id; a plain caller id is kept beside it as the caller's correlation id.
/// </summary>
internal static partial class CorrelationId
{
    public const string Header = "X-Correlation-Id";
    private const string Key = "ControlPlane.CorrelationId";

    public static string Of(HttpContext context)
    {
        if (context.Items[Key] is string id)
            return id;
        id = Guid.CreateVersion7().ToString("N");
        context.Items[Key] = id;
        return id;
    }

    /// <summary>The caller's <c>X-Correlation-Id</c> when it is a plain token, else null.</summary>
    public static string? CallerOf(HttpContext context)
    {
        var supplied = context.Request.Headers[Header].ToString();
        return Plain().IsMatch(supplied) ? supplied : null;
    }

    [GeneratedRegex("^[A-Za-z0-9._:-]{1,128}$")]
    private static partial Regex Plain();
}
