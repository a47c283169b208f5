using ControlPlane.Domain.Identity;

namespace ControlPlane.Web.Auth;

public static class AuthSchemes
{
    /// <summary>Picks bearer tokens when an Authorization header is present, the Identity cookie otherwise.</summary>
    public const string Smart = "ControlPlane";
    public const string PersonalAccessToken = "PersonalAccessToken";
}

public static class Policies
{
    public const string Admin = "Admin";
    public const string Reviewer = "Reviewer";
    public const string DataScientist = "DataScientist";
    /// <summary>Reading <c>/metrics</c>: an Admin's bearer token (a scraper has no cookie to send).</summary>
    public const string MetricsScrape = "MetricsScrape";

    /// <summary>The roles each policy accepts (any one of them): the policies are built from this, and access-denied pages name them.</summary>
    public static IReadOnlyDictionary<string, string[]> Roles { get; } = new Dictionary<string, string[]>(StringComparer.Ordinal)
    {
        [Admin] = [ControlPlaneRoles.Admin],
        [Reviewer] = [ControlPlaneRoles.ComplianceReviewer, ControlPlaneRoles.Admin],
        [DataScientist] = [ControlPlaneRoles.DataScientist],
        [MetricsScrape] = [ControlPlaneRoles.Admin],
    };
}
