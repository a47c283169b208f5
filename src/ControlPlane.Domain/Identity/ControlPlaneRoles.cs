namespace ControlPlane.Domain.Identity;

public static class ControlPlaneRoles
{
    public const string DataScientist = "DataScientist";
    public const string ComplianceReviewer = "ComplianceReviewer";
    public const string Admin = "Admin";

    public static IReadOnlyList<string> All { get; } = [DataScientist, ComplianceReviewer, Admin];

    public static bool IsKnown(string role) => All.Contains(role, StringComparer.Ordinal);
}
