using System.Diagnostics;
using System.Text.RegularExpressions;

namespace ControlPlane.Web.Auth;

/// <summary>
/// The id that ties a request to its audit events: the caller's <c>X-Correlation-Id</c> when it is a plain
/// token (so pipelines can find what their call changed), else the W3C trace id. Echoed on every response.
/// </summary>
internal static partial class CorrelationId
{
    public const string Header = "X-Correlation-Id";

    public static string Of(HttpContext context)
    {
        var supplied = context.Request.Headers[Header].ToString();
        return Plain().IsMatch(supplied) ? supplied : Activity.Current?.TraceId.ToString() ?? context.TraceIdentifier;
    }

    [GeneratedRegex("^[A-Za-z0-9._:-]{1,128}$")]
    private static partial Regex Plain();
}
