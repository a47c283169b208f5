namespace ControlPlane.Web.Auth;

/// <summary>Bound from <c>ControlPlane:Sessions</c>: how long a signed-in browser session may sit idle.</summary>
public sealed class SessionOptions
{
    public const string Section = "ControlPlane:Sessions";

    /// <summary>
    /// After this long without a request or a click on an open page, the session ends: the cookie expires (it slides
    /// with each request) and an open page turns anonymous at its next minute check.
    /// </summary>
    public TimeSpan IdleTimeout { get; set; } = TimeSpan.FromHours(8);
}
